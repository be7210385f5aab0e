//! Swiss civil time for the exam's dates and deadlines: RFC 3339 UTC text
//! as stored (`2027-03-15T22:59:00Z`, ordered like the instants it names)
//! against the local time people read and type in Switzerland (CET, or
//! CEST in summer, as the European rule has it since 1981). No I/O and no
//! clock: callers pass the instants.

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's
/// algorithm).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of
/// [`civil_from_days`]).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day of the month of the last Sunday of `month`.
fn last_sunday(year: i64, month: i64) -> i64 {
    let next =
        if month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, month + 1, 1) };
    let last = next - 1;
    // 1970-01-01 was a Thursday (weekday 4, Sunday 0).
    let weekday = (last + 4).rem_euclid(7);
    civil_from_days(last - weekday).2
}

/// Seconds since the epoch of a UTC date and time.
fn epoch_seconds(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> i64 {
    days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
}

/// Whether Swiss summer time (CEST, UTC+2) holds at `seconds` since the
/// epoch: from the last Sunday of March 01:00 UTC to the last Sunday of
/// October 01:00 UTC, the European rule Switzerland follows since 1981.
fn summer_time(seconds: i64) -> bool {
    let year = civil_from_days(seconds.div_euclid(86_400)).0;
    let starts = epoch_seconds(year, 3, last_sunday(year, 3), 1, 0, 0);
    let ends = epoch_seconds(year, 10, last_sunday(year, 10), 1, 0, 0);
    (starts..ends).contains(&seconds)
}

/// `2027-03-15T23:59` (a `datetime-local` field, Swiss local time) as RFC
/// 3339 UTC text; `None` for text of another form or an impossible date.
/// An hour that does not exist (the spring change) is read as summer time,
/// an hour that exists twice (autumn) as its first occurrence.
pub fn swiss_local_to_utc(text: &str) -> Option<String> {
    let text = text.trim();
    let (date, time) = text.split_once('T')?;
    let mut date_parts = date.split('-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: i64 = date_parts.next()?.parse().ok()?;
    let day: i64 = date_parts.next()?.parse().ok()?;
    let mut time_parts = time.split(':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let second: i64 = time_parts.next().map_or(Some(0), |s| s.parse().ok())?;
    if date_parts.next().is_some() || time_parts.next().is_some() || date.len() != 10 {
        return None;
    }
    if !(2000..=2200).contains(&year) || !(1..=12).contains(&month) || !(0..24).contains(&hour) {
        return None;
    }
    if !(0..60).contains(&minute) || !(0..60).contains(&second) || day < 1 {
        return None;
    }
    if civil_from_days(days_from_civil(year, month, day)) != (year, month, day) {
        return None;
    }
    let local = epoch_seconds(year, month, day, hour, minute, second);
    // Summer time first: the first occurrence of a doubled hour is summer time.
    let utc = if summer_time(local - 7200) { local - 7200 } else { local - 3600 };
    Some(utc_of_seconds(utc))
}

/// RFC 3339 UTC text (as stored) as Swiss local time, `2027-03-15T23:59`
/// (what a `datetime-local` field shows); `None` for other text.
pub fn utc_to_swiss_local(text: &str) -> Option<String> {
    let body = text.strip_suffix('Z')?;
    let (date, time) = body.split_once('T')?;
    let mut date_parts = date.split('-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (date_parts.next()??, date_parts.next()??, date_parts.next()??);
    let mut time_parts = time.split(':').map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (time_parts.next()??, time_parts.next()??, time_parts.next()??);
    let utc = epoch_seconds(year, month, day, hour, minute, second);
    let local = utc + if summer_time(utc) { 7200 } else { 3600 };
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let of_day = local.rem_euclid(86_400);
    Some(format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}", of_day / 3600, of_day % 3600 / 60))
}

/// Seconds since the epoch as RFC 3339 UTC text with whole seconds.
pub fn utc_of_seconds(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// A stored instant as people read it: Swiss local time,
/// `15.03.2027 23:59`; text of another form is returned as it is.
pub fn swiss_display(utc: &str) -> String {
    match utc_to_swiss_local(utc) {
        Some(local) => {
            let (date, time) = local.split_once('T').unwrap_or((&local, ""));
            let mut parts = date.split('-');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(year), Some(month), Some(day)) => format!("{day}.{month}.{year} {time}"),
                _ => local.clone(),
            }
        }
        None => utc.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swiss_local_time_follows_summer_time_both_ways() {
        for (local, utc) in [
            ("2027-01-15T23:59", "2027-01-15T22:59:00Z"),
            ("2027-07-01T00:30", "2027-06-30T22:30:00Z"),
            // 28 March 2027: 02:00 CET becomes 03:00 CEST.
            ("2027-03-28T01:59", "2027-03-28T00:59:00Z"),
            ("2027-03-28T03:00", "2027-03-28T01:00:00Z"),
            // 31 October 2027: 03:00 CEST becomes 02:00 CET.
            ("2027-10-31T01:30", "2027-10-30T23:30:00Z"),
            ("2027-10-31T03:30", "2027-10-31T02:30:00Z"),
            ("2028-02-29T12:00:30", "2028-02-29T11:00:30Z"),
        ] {
            assert_eq!(swiss_local_to_utc(local).as_deref(), Some(utc), "{local}");
            assert_eq!(utc_to_swiss_local(utc).as_deref(), Some(&local[..16]), "{utc}");
        }
        // The doubled autumn hour is read as its first occurrence.
        assert_eq!(swiss_local_to_utc("2027-10-31T02:30").as_deref(), Some("2027-10-31T00:30:00Z"));
        assert_eq!(swiss_display("2027-07-01T06:05:00Z"), "01.07.2027 08:05");
        assert_eq!(swiss_display("pas une date"), "pas une date");
        for bad in [
            "",
            "2027-02-29T10:00",
            "2027-13-01T10:00",
            "2027-01-01",
            "2027-01-01T24:00",
            "x-1-1T1:1",
            "2027-01-01T10:00:00:00",
        ] {
            assert_eq!(swiss_local_to_utc(bad), None, "{bad:?}");
        }
    }
}
