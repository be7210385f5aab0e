//! The appeal deadline of an exam decision, counted as the federal
//! administrative procedure act (PA / VwVG, SR 172.021) counts periods:
//!
//! * art. 50: an appeal is lodged within 30 days of notification;
//! * art. 20 al. 1: a period counted in days starts on the day after
//!   notification;
//! * art. 22a al. 1: periods stand still from the 7th day before Easter
//!   to the 7th day after Easter, from 15 July to 15 August and from
//!   18 December to 2 January, each inclusive: those days are not
//!   counted;
//! * art. 20 al. 3: a period whose last day is a Saturday, a Sunday or a
//!   public holiday (federal or of the canton where the party or their
//!   representative lives) ends on the next working day.
//!
//! One case the act does not spell out: a last day moved by art. 20 al. 3
//! into a stand-still period (a period ending on Saturday 13 July). We
//! move it on to the first working day after the stand-still, as the
//! stand-still days are not days of the period; the letter shows the
//! date, so a board that reads it otherwise sees it.
//!
//! Everything here is pure: dates in, dates out, no clock. Dates are
//! proleptic Gregorian, from 1900 to 2200 (Easter is computed by the
//! Gregorian computus, so any year of that range works).

use std::fmt;

use crate::time::{civil_from_days, days_from_civil};

/// The number of days of the appeal period (PA art. 50 al. 1).
pub const APPEAL_DAYS: u32 = 30;

/// The first and last years a [`Date`] may have.
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

/// A calendar day (no time, no time zone), 1900-01-01 to 2200-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Neither `2027-07-01` nor `01.07.2027`.
    Form,
    /// The day does not exist (`2027-02-29`, `31.04.2027`).
    NoSuchDay,
    /// Before 1900 or after 2200.
    OutOfRange,
}

impl DateError {
    /// Every kind of date error.
    pub const ALL: [DateError; 3] = [DateError::Form, DateError::NoSuchDay, DateError::OutOfRange];

    /// The stable code, e.g. `date.form`; its one argument is the `text`
    /// refused (readers render the code in their language).
    pub fn code(&self) -> &'static str {
        match self {
            DateError::Form => "date.form",
            DateError::NoSuchDay => "date.no_such_day",
            DateError::OutOfRange => "date.out_of_range",
        }
    }

    /// The French sentence of this error, naming the text (the one place
    /// it is said in words; other languages render [`DateError::code`]).
    pub fn message_fr(&self, text: &str) -> String {
        match self {
            DateError::Form => format!(
                "« {text} » n'est pas une date : écrivez-la jj.mm.aaaa (31.12.2027) ou aaaa-mm-jj (2027-12-31)."
            ),
            DateError::NoSuchDay => format!("« {text} » : ce jour n'existe pas."),
            DateError::OutOfRange => format!("« {text} » : l'année doit être comprise entre 1900 et 2200."),
        }
    }
}

impl Date {
    /// The date `year-month-day`, if it exists and is in range.
    pub fn new(year: i64, month: i64, day: i64) -> Result<Date, DateError> {
        if !YEARS.contains(&year) {
            return Err(DateError::OutOfRange);
        }
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Err(DateError::NoSuchDay);
        }
        let days = days_from_civil(year, month, day);
        if civil_from_days(days) != (year, month, day) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date { days })
    }

    /// A date as people type it: ISO `2027-07-01` or Swiss `01.07.2027`
    /// (`1.7.2027` too), surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let text = text.trim();
        let (parts, iso): (Vec<&str>, bool) = if text.contains('-') {
            (text.split('-').collect(), true)
        } else {
            (text.split('.').collect(), false)
        };
        if parts.len() != 3
            || parts.iter().any(|part| part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(DateError::Form);
        }
        let (year, month, day) =
            if iso { (parts[0], parts[1], parts[2]) } else { (parts[2], parts[1], parts[0]) };
        let widths_ok = if iso {
            year.len() == 4 && month.len() == 2 && day.len() == 2
        } else {
            year.len() == 4 && month.len() <= 2 && day.len() <= 2
        };
        if !widths_ok {
            return Err(DateError::Form);
        }
        let number = |part: &str| part.parse::<i64>().map_err(|_| DateError::Form);
        Date::new(number(year)?, number(month)?, number(day)?)
    }

    /// Year, month (1–12) and day (1–31).
    pub fn ymd(self) -> (i64, i64, i64) {
        civil_from_days(self.days)
    }

    /// The year.
    pub fn year(self) -> i64 {
        self.ymd().0
    }

    /// The date `days` days later (earlier for a negative number).
    pub fn plus(self, days: i64) -> Date {
        Date { days: self.days + days }
    }

    /// The number of days from `earlier` to `self`.
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.days + 3).rem_euclid(7) as usize]
    }

    /// `2027-07-01`.
    pub fn iso(self) -> String {
        let (year, month, day) = self.ymd();
        format!("{year:04}-{month:02}-{day:02}")
    }

    /// `01.07.2027`, as Swiss documents write dates.
    pub fn swiss(self) -> String {
        let (year, month, day) = self.ymd();
        format!("{day:02}.{month:02}.{year:04}")
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// A stable code (`monday`), for translation keys.
    pub fn code(self) -> &'static str {
        match self {
            Weekday::Monday => "monday",
            Weekday::Tuesday => "tuesday",
            Weekday::Wednesday => "wednesday",
            Weekday::Thursday => "thursday",
            Weekday::Friday => "friday",
            Weekday::Saturday => "saturday",
            Weekday::Sunday => "sunday",
        }
    }
}

/// Easter Sunday of `year` (Gregorian computus, the anonymous algorithm
/// published in *Nature* in 1876 and known as Meeus/Jones/Butcher).
pub fn easter(year: i64) -> Date {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date { days: days_from_civil(year, month, day) }
}

/// A public holiday that ends a period on the next working day when it
/// is its last day. Federal law knows 1 August only; the others are the
/// cantons' (most of them keep the first nine below, several the rest).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    /// 1 January.
    NewYear,
    /// 2 January (Berchtoldstag), in the cantons that keep it.
    Berchtold,
    /// 6 January.
    Epiphany,
    /// 19 March.
    StJoseph,
    /// Easter Sunday − 2.
    GoodFriday,
    /// Easter Sunday + 1.
    EasterMonday,
    /// 1 May.
    LabourDay,
    /// Easter Sunday + 39.
    Ascension,
    /// Easter Sunday + 50.
    WhitMonday,
    /// Easter Sunday + 60.
    CorpusChristi,
    /// 1 August, the national day (federal).
    NationalDay,
    /// 15 August.
    Assumption,
    /// The Monday after the third Sunday of September (Bettagsmontag /
    /// lundi du Jeûne fédéral).
    FastMonday,
    /// 1 November.
    AllSaints,
    /// 8 December.
    ImmaculateConception,
    /// 25 December.
    Christmas,
    /// 26 December.
    StStephen,
    /// The Thursday after the first Sunday of September (Jeûne genevois),
    /// Geneva.
    JeuneGenevois,
    /// 31 December (Restauration de la République), Geneva.
    Restoration,
    /// 1 March (Instauration de la République), Neuchâtel.
    NeuchatelRepublic,
    /// 23 June (plébiscite jurassien), Jura.
    JuraPlebiscite,
    /// 29 June (Saints Peter and Paul), Ticino.
    PeterAndPaul,
    /// The first Thursday of April, a week later when it is Maundy
    /// Thursday (Näfelser Fahrt), Glarus.
    NaefelserFahrt,
    /// 25 September (Bruder Klaus), Obwalden.
    BrotherKlaus,
}

impl Holiday {
    /// Every holiday grille knows, in calendar order.
    pub const ALL: [Holiday; 24] = [
        Holiday::NewYear,
        Holiday::Berchtold,
        Holiday::Epiphany,
        Holiday::StJoseph,
        Holiday::GoodFriday,
        Holiday::EasterMonday,
        Holiday::LabourDay,
        Holiday::Ascension,
        Holiday::WhitMonday,
        Holiday::CorpusChristi,
        Holiday::NationalDay,
        Holiday::Assumption,
        Holiday::FastMonday,
        Holiday::AllSaints,
        Holiday::ImmaculateConception,
        Holiday::Christmas,
        Holiday::StStephen,
        Holiday::JeuneGenevois,
        Holiday::Restoration,
        Holiday::NeuchatelRepublic,
        Holiday::JuraPlebiscite,
        Holiday::PeterAndPaul,
        Holiday::NaefelserFahrt,
        Holiday::BrotherKlaus,
    ];

    /// The set used when a board has not chosen its own: the holidays
    /// common to (nearly) every canton.
    pub const DEFAULT: [Holiday; 8] = [
        Holiday::NewYear,
        Holiday::GoodFriday,
        Holiday::EasterMonday,
        Holiday::Ascension,
        Holiday::WhitMonday,
        Holiday::NationalDay,
        Holiday::Christmas,
        Holiday::StStephen,
    ];

    /// A stable code (`good_friday`), as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Holiday::NewYear => "new_year",
            Holiday::Berchtold => "berchtold",
            Holiday::Epiphany => "epiphany",
            Holiday::StJoseph => "st_joseph",
            Holiday::GoodFriday => "good_friday",
            Holiday::EasterMonday => "easter_monday",
            Holiday::LabourDay => "labour_day",
            Holiday::Ascension => "ascension",
            Holiday::WhitMonday => "whit_monday",
            Holiday::CorpusChristi => "corpus_christi",
            Holiday::NationalDay => "national_day",
            Holiday::Assumption => "assumption",
            Holiday::FastMonday => "fast_monday",
            Holiday::AllSaints => "all_saints",
            Holiday::ImmaculateConception => "immaculate_conception",
            Holiday::Christmas => "christmas",
            Holiday::StStephen => "st_stephen",
            Holiday::JeuneGenevois => "jeune_genevois",
            Holiday::Restoration => "restoration",
            Holiday::NeuchatelRepublic => "neuchatel_republic",
            Holiday::JuraPlebiscite => "jura_plebiscite",
            Holiday::PeterAndPaul => "peter_and_paul",
            Holiday::NaefelserFahrt => "naefelser_fahrt",
            Holiday::BrotherKlaus => "brother_klaus",
        }
    }

    /// The holiday with this code.
    pub fn from_code(code: &str) -> Option<Holiday> {
        Holiday::ALL.into_iter().find(|holiday| holiday.code() == code)
    }

    /// Its date in `year`.
    pub fn date(self, year: i64) -> Date {
        let fixed = |month, day| Date { days: days_from_civil(year, month, day) };
        let easter = || easter(year);
        match self {
            Holiday::NewYear => fixed(1, 1),
            Holiday::Berchtold => fixed(1, 2),
            Holiday::Epiphany => fixed(1, 6),
            Holiday::StJoseph => fixed(3, 19),
            Holiday::GoodFriday => easter().plus(-2),
            Holiday::EasterMonday => easter().plus(1),
            Holiday::LabourDay => fixed(5, 1),
            Holiday::Ascension => easter().plus(39),
            Holiday::WhitMonday => easter().plus(50),
            Holiday::CorpusChristi => easter().plus(60),
            Holiday::NationalDay => fixed(8, 1),
            Holiday::Assumption => fixed(8, 15),
            Holiday::FastMonday => {
                // The third Sunday of September, then the Monday after it.
                let first = fixed(9, 1);
                let to_sunday = (6 - first.weekday() as i64).rem_euclid(7);
                first.plus(to_sunday + 14 + 1)
            }
            Holiday::AllSaints => fixed(11, 1),
            Holiday::ImmaculateConception => fixed(12, 8),
            Holiday::Christmas => fixed(12, 25),
            Holiday::StStephen => fixed(12, 26),
            Holiday::JeuneGenevois => {
                // The first Sunday of September, then the Thursday after it.
                let first = fixed(9, 1);
                let to_sunday = (6 - first.weekday() as i64).rem_euclid(7);
                first.plus(to_sunday + 4)
            }
            Holiday::Restoration => fixed(12, 31),
            Holiday::NeuchatelRepublic => fixed(3, 1),
            Holiday::JuraPlebiscite => fixed(6, 23),
            Holiday::PeterAndPaul => fixed(6, 29),
            Holiday::NaefelserFahrt => {
                let first = fixed(4, 1);
                let to_thursday = (3 - first.weekday() as i64).rem_euclid(7);
                let thursday = first.plus(to_thursday);
                // Maundy Thursday is Easter − 3: the feast moves a week on.
                if thursday == easter().plus(-3) { thursday.plus(7) } else { thursday }
            }
            Holiday::BrotherKlaus => fixed(9, 25),
        }
    }
}

/// The 26 cantons, by their official two-letter codes.
pub const CANTONS: [&str; 26] = [
    "AG", "AI", "AR", "BE", "BL", "BS", "FR", "GE", "GL", "GR", "JU", "LU", "NE", "NW", "OW", "SG", "SH",
    "SO", "SZ", "TG", "TI", "UR", "VD", "VS", "ZG", "ZH",
];

/// The holidays grille proposes to a board of `canton` (its two-letter
/// code, any case), or `None` for an unknown code. The board checks the
/// proposal and saves its own set: this is a starting point, not law.
///
/// Only the days that the canton's law recognises throughout the canton
/// (equal to Sunday under art. 20a of the Labour Act, or a public rest day
/// of cantonal law) are proposed, because the two possible mistakes are not
/// alike: a holiday left out moves a deadline a day earlier, which costs
/// an appellant nothing, whereas a day counted that the law does not
/// recognise moves it a day later, and an appeal lodged on that last day
/// would be out of time. So left out are:
///
/// * days widely observed but not recognised by law (2 January in Zurich,
///   Easter Monday in Solothurn or Zug);
/// * days of part of a canton only (Aargau's districts, Fribourg's
///   catholic and reformed communes, Solothurn outside Bucheggberg,
///   communal feasts in Graubünden, Lucerne or Valais);
/// * conditional days: 2 January and 26 December in Neuchâtel (only when
///   the day before is a Sunday), 26 December in the two Appenzells and
///   Uri (not when Christmas is a Monday);
/// * the afternoon of 1 May in Solothurn.
///
/// Sources compared (December 2026): the cantons' rest-day laws and
/// official pages, the federal office of justice's list of cantonal
/// holidays as cited by others, and two open holiday libraries, whose
/// lists are wider than the law in several cantons. Most of these days
/// never end a federal appeal period anyway: the stand-still periods of
/// art. 22a cover Easter ± 7 days, 15 July–15 August and
/// 18 December–2 January.
pub fn canton_holidays(canton: &str) -> Option<&'static [Holiday]> {
    use Holiday::*;
    let holidays: &'static [Holiday] = match canton.trim().to_ascii_uppercase().as_str() {
        "AG" | "FR" | "SO" => &[NewYear, GoodFriday, Ascension, NationalDay, Christmas],
        "AI" => &[
            NewYear,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
        ],
        "AR" => &[NewYear, GoodFriday, EasterMonday, Ascension, WhitMonday, NationalDay, Christmas],
        "BE" => &[
            NewYear,
            Berchtold,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            NationalDay,
            Christmas,
            StStephen,
        ],
        "BL" | "BS" | "SH" | "ZH" => &[
            NewYear,
            GoodFriday,
            EasterMonday,
            LabourDay,
            Ascension,
            WhitMonday,
            NationalDay,
            Christmas,
            StStephen,
        ],
        "GE" => &[
            NewYear,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            NationalDay,
            JeuneGenevois,
            Christmas,
            Restoration,
        ],
        "GL" => &[
            NewYear,
            GoodFriday,
            EasterMonday,
            NaefelserFahrt,
            Ascension,
            WhitMonday,
            NationalDay,
            AllSaints,
            Christmas,
            StStephen,
        ],
        "GR" => {
            &[NewYear, GoodFriday, EasterMonday, Ascension, WhitMonday, NationalDay, Christmas, StStephen]
        }
        "SG" => &[
            NewYear,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            NationalDay,
            AllSaints,
            Christmas,
            StStephen,
        ],
        "JU" => &[
            NewYear,
            Berchtold,
            GoodFriday,
            EasterMonday,
            LabourDay,
            Ascension,
            WhitMonday,
            CorpusChristi,
            JuraPlebiscite,
            NationalDay,
            Assumption,
            AllSaints,
            Christmas,
        ],
        "LU" => &[
            NewYear,
            GoodFriday,
            Ascension,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
            StStephen,
        ],
        "NE" => &[NewYear, NeuchatelRepublic, GoodFriday, LabourDay, Ascension, NationalDay, Christmas],
        "NW" => &[
            NewYear,
            StJoseph,
            GoodFriday,
            Ascension,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
        ],
        "OW" => &[
            NewYear,
            GoodFriday,
            Ascension,
            CorpusChristi,
            NationalDay,
            Assumption,
            BrotherKlaus,
            AllSaints,
            ImmaculateConception,
            Christmas,
        ],
        "SZ" => &[
            NewYear,
            Epiphany,
            StJoseph,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
            StStephen,
        ],
        "TG" => &[
            NewYear,
            Berchtold,
            GoodFriday,
            EasterMonday,
            LabourDay,
            Ascension,
            WhitMonday,
            NationalDay,
            Christmas,
            StStephen,
        ],
        "TI" => &[
            NewYear,
            Epiphany,
            StJoseph,
            EasterMonday,
            LabourDay,
            Ascension,
            WhitMonday,
            CorpusChristi,
            PeterAndPaul,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
            StStephen,
        ],
        "UR" => &[
            NewYear,
            Epiphany,
            StJoseph,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
        ],
        "VD" => &[
            NewYear,
            Berchtold,
            GoodFriday,
            EasterMonday,
            Ascension,
            WhitMonday,
            NationalDay,
            FastMonday,
            Christmas,
        ],
        "VS" => &[
            NewYear,
            StJoseph,
            Ascension,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
        ],
        "ZG" => &[
            NewYear,
            GoodFriday,
            Ascension,
            CorpusChristi,
            NationalDay,
            Assumption,
            AllSaints,
            ImmaculateConception,
            Christmas,
        ],
        _ => return None,
    };
    Some(holidays)
}

/// Whether `day` is one of `holidays`.
pub fn is_holiday(day: Date, holidays: &[Holiday]) -> bool {
    holidays.iter().any(|holiday| holiday.date(day.year()) == day)
}

/// Whether `day` is a Saturday, a Sunday or one of `holidays`.
pub fn is_non_working(day: Date, holidays: &[Holiday]) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) || is_holiday(day, holidays)
}

/// One of the three stand-still periods of PA art. 22a.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StandStill {
    /// Easter − 7 to Easter + 7.
    Easter,
    /// 15 July to 15 August.
    Summer,
    /// 18 December to 2 January.
    Winter,
}

impl StandStill {
    /// A stable code (`summer`), for translation keys.
    pub fn code(self) -> &'static str {
        match self {
            StandStill::Easter => "easter",
            StandStill::Summer => "summer",
            StandStill::Winter => "winter",
        }
    }
}

/// The stand-still period `day` lies in, if any.
pub fn stand_still(day: Date) -> Option<StandStill> {
    let (year, month, date) = day.ymd();
    let offset = day.days_since(easter(year));
    if (-7..=7).contains(&offset) {
        Some(StandStill::Easter)
    } else if (month == 7 && date >= 15) || (month == 8 && date <= 15) {
        Some(StandStill::Summer)
    } else if (month == 12 && date >= 18) || (month == 1 && date <= 2) {
        Some(StandStill::Winter)
    } else {
        None
    }
}

/// The appeal period of a decision notified on a given day, with what
/// made its last day what it is (for the letter and for checking).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealDeadline {
    /// The day of notification.
    pub notified: Date,
    /// The first day counted (the day after notification, or the first
    /// day after a stand-still).
    pub first_day: Date,
    /// The 30th counted day.
    pub thirtieth_day: Date,
    /// The last day on which an appeal may be lodged (posted or handed
    /// in): the 30th counted day, or the next working day.
    pub last_day: Date,
    /// The stand-still periods that lengthened the period, in order.
    pub stood_still: Vec<StandStill>,
}

/// The last day to appeal a decision notified on `notified`, with the
/// board's `holidays` (see [`Holiday::DEFAULT`]).
pub fn appeal_deadline(notified: Date, holidays: &[Holiday]) -> AppealDeadline {
    period_end(notified, APPEAL_DAYS, holidays)
}

/// A period of `days` days (at least 1) notified on `notified`, counted
/// after PA art. 20 and 22a.
pub fn period_end(notified: Date, days: u32, holidays: &[Holiday]) -> AppealDeadline {
    let mut stood_still: Vec<StandStill> = Vec::new();
    let note = |period: StandStill, list: &mut Vec<StandStill>| {
        if list.last() != Some(&period) {
            list.push(period);
        }
    };
    let mut day = notified;
    let mut counted = 0;
    let mut first_day = None;
    while counted < days.max(1) {
        day = day.plus(1);
        match stand_still(day) {
            Some(period) => note(period, &mut stood_still),
            None => {
                counted += 1;
                first_day.get_or_insert(day);
            }
        }
    }
    let thirtieth_day = day;
    let mut last_day = day;
    while is_non_working(last_day, holidays) || stand_still(last_day).is_some() {
        if let Some(period) = stand_still(last_day) {
            note(period, &mut stood_still);
        }
        last_day = last_day.plus(1);
    }
    AppealDeadline {
        notified,
        first_day: first_day.unwrap_or(thirtieth_day),
        thirtieth_day,
        last_day,
        stood_still,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|error| panic!("{text}: {error:?}"))
    }

    #[test]
    fn easter_matches_published_dates() {
        for (year, day) in [
            (1900, "1900-04-15"),
            (1954, "1954-04-18"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2028, "2028-04-16"),
            (2029, "2029-04-01"),
            (2030, "2030-04-21"),
            (2038, "2038-04-25"),
            (2200, "2200-04-06"),
        ] {
            assert_eq!(easter(year), date(day), "{year}");
            assert_eq!(easter(year).weekday(), Weekday::Sunday, "{year}");
        }
    }

    #[test]
    fn dates_are_read_in_swiss_and_iso_forms_and_anything_else_is_refused() {
        assert_eq!(date("31.12.1990"), date("1990-12-31"));
        assert_eq!(date(" 1.7.2027 "), date("2027-07-01"));
        assert_eq!(date("29.02.2028").swiss(), "29.02.2028");
        for (text, error) in [
            ("", DateError::Form),
            ("2027-7-1", DateError::Form),
            ("01/07/2027", DateError::Form),
            ("1.7.27", DateError::Form),
            ("2027-07-01T10:00", DateError::Form),
            ("+1.07.2027", DateError::Form),
            ("demain", DateError::Form),
            ("29.02.2027", DateError::NoSuchDay),
            ("2027-04-31", DateError::NoSuchDay),
            ("2027-13-01", DateError::NoSuchDay),
            ("00.01.2027", DateError::NoSuchDay),
            ("31.12.1899", DateError::OutOfRange),
            ("2201-01-01", DateError::OutOfRange),
        ] {
            assert_eq!(Date::parse(text), Err(error.clone()), "{text:?}");
            assert!(error.message_fr(text).contains(text), "{text:?}");
        }
    }

    #[test]
    fn holidays_fall_on_their_days() {
        for (holiday, year, day) in [
            (Holiday::GoodFriday, 2026, "2026-04-03"),
            (Holiday::EasterMonday, 2026, "2026-04-06"),
            (Holiday::Ascension, 2026, "2026-05-14"),
            (Holiday::WhitMonday, 2026, "2026-05-25"),
            (Holiday::CorpusChristi, 2026, "2026-06-04"),
            (Holiday::FastMonday, 2026, "2026-09-21"),
            (Holiday::FastMonday, 2027, "2027-09-20"),
            // 1 September 2024 was a Sunday: the third is the 15th.
            (Holiday::FastMonday, 2024, "2024-09-16"),
            (Holiday::NationalDay, 2027, "2027-08-01"),
            (Holiday::StStephen, 2027, "2027-12-26"),
            // 1 September 2026 is a Tuesday: the first Sunday is the 6th.
            (Holiday::JeuneGenevois, 2026, "2026-09-10"),
            (Holiday::JeuneGenevois, 2025, "2025-09-11"),
            // 2 April 2026 is Maundy Thursday (Easter on 5 April).
            (Holiday::NaefelserFahrt, 2026, "2026-04-09"),
            (Holiday::NaefelserFahrt, 2025, "2025-04-03"),
            (Holiday::NaefelserFahrt, 2027, "2027-04-01"),
            (Holiday::NeuchatelRepublic, 2027, "2027-03-01"),
            (Holiday::JuraPlebiscite, 2027, "2027-06-23"),
            (Holiday::PeterAndPaul, 2027, "2027-06-29"),
            (Holiday::BrotherKlaus, 2027, "2027-09-25"),
            (Holiday::Restoration, 2027, "2027-12-31"),
        ] {
            assert_eq!(holiday.date(year), date(day), "{holiday:?} {year}");
        }
        for holiday in Holiday::ALL {
            assert_eq!(Holiday::from_code(holiday.code()), Some(holiday));
        }
        assert_eq!(Holiday::from_code("easter"), None);
    }

    #[test]
    fn every_canton_has_a_proposal() {
        for canton in CANTONS {
            let holidays = canton_holidays(canton).unwrap_or_else(|| panic!("{canton}"));
            // Federal, or kept by every canton's law.
            for common in [Holiday::NewYear, Holiday::Ascension, Holiday::NationalDay, Holiday::Christmas] {
                assert!(holidays.contains(&common), "{canton} {common:?}");
            }
            let mut distinct = holidays.to_vec();
            distinct.sort();
            distinct.dedup();
            assert_eq!(distinct.len(), holidays.len(), "{canton}: a holiday twice");
        }
        assert_eq!(canton_holidays(" vd "), canton_holidays("VD"));
        assert_eq!(canton_holidays("XX"), None);
        assert_eq!(canton_holidays(""), None);
        // Good Friday is no holiday in Ticino; Geneva keeps its own fast.
        assert!(!canton_holidays("TI").unwrap().contains(&Holiday::GoodFriday));
        assert!(canton_holidays("GE").unwrap().contains(&Holiday::JeuneGenevois));
    }

    /// Each row: notification, the board's holidays (`None`: the default
    /// set), the 30th counted day and the last day to appeal, checked by
    /// hand on a calendar.
    #[test]
    fn appeal_deadlines_counted_by_hand() {
        let fast = [&Holiday::DEFAULT[..], &[Holiday::FastMonday]].concat();
        type Row<'a> = (&'a str, Option<&'a [Holiday]>, &'a str, &'a str, &'a [StandStill]);
        let rows: &[Row<'_>] = &[
            // Plain 30 days, ending on a Thursday.
            ("2026-09-01", None, "2026-10-01", "2026-10-01", &[]),
            // Ends on Saturday 14 November: Monday 16 November.
            ("2026-10-15", None, "2026-11-14", "2026-11-16", &[]),
            // Leap year: 2 February to 2 March 2028 is 30 days.
            ("2028-02-01", None, "2028-03-02", "2028-03-02", &[]),
            // Easter 2026 (5 April): stand-still 29 March – 12 April.
            // Notified before: 26 days in March, then 13–16 April.
            ("2026-03-02", None, "2026-04-16", "2026-04-16", &[StandStill::Easter]),
            // Notified inside: counted from 13 April.
            ("2026-04-01", None, "2026-05-12", "2026-05-12", &[StandStill::Easter]),
            // Notified on its last day: the same days, none of them stood still.
            ("2026-04-12", None, "2026-05-12", "2026-05-12", &[]),
            // Notified after: counted from 14 April.
            ("2026-04-13", None, "2026-05-13", "2026-05-13", &[]),
            // Geneva: 4 days in July, the summer stand-still, then 26 days
            // to Thursday 10 September 2026, the Jeûne genevois: Friday.
            ("2026-07-10", canton_holidays("GE"), "2026-09-10", "2026-09-11", &[StandStill::Summer]),
            // Ends on Ascension (Thursday 14 May 2026): Friday 15 May.
            ("2026-04-14", None, "2026-05-14", "2026-05-15", &[]),
            // Ends on Whit Monday (25 May 2026): Tuesday 26 May.
            ("2026-04-25", None, "2026-05-25", "2026-05-26", &[]),
            // Summer: 13 days in July (2–14), then from 16 August.
            ("2026-07-01", None, "2026-09-01", "2026-09-01", &[StandStill::Summer]),
            // Notified inside the summer stand-still (even on 1 August).
            ("2026-07-20", None, "2026-09-14", "2026-09-14", &[StandStill::Summer]),
            ("2026-08-01", None, "2026-09-14", "2026-09-14", &[StandStill::Summer]),
            // Notified on its last day, then the day after.
            ("2026-08-15", None, "2026-09-14", "2026-09-14", &[]),
            ("2026-08-16", None, "2026-09-15", "2026-09-15", &[]),
            // A cantonal holiday, only where the board keeps it.
            ("2026-08-22", None, "2026-09-21", "2026-09-21", &[]),
            ("2026-08-22", Some(&fast), "2026-09-21", "2026-09-22", &[]),
            // Across the year: 16 days in December (2–17), then from 3
            // January; the 30th is Saturday 16 January: Monday 18.
            ("2026-12-01", None, "2027-01-16", "2027-01-18", &[StandStill::Winter]),
            // Notified on Christmas Eve: counted from 3 January.
            ("2026-12-24", None, "2027-02-01", "2027-02-01", &[StandStill::Winter]),
            ("2027-01-02", None, "2027-02-01", "2027-02-01", &[]),
            ("2027-01-03", None, "2027-02-02", "2027-02-02", &[]),
            // The 30th is Saturday 13 July 2024; Monday 15 July already
            // stands still: the period ends on Friday 16 August.
            ("2024-06-13", None, "2024-07-13", "2024-08-16", &[StandStill::Summer]),
            // The 30th is Saturday 16 December 2028; Monday 18 December
            // stands still until 2 January: Wednesday 3 January 2029.
            ("2028-11-16", None, "2028-12-16", "2029-01-03", &[StandStill::Winter]),
            // Easter 2027 is 28 March (stand-still 21 March – 4 April),
            // notified on a Sunday: 20 days in March, then 5–14 April.
            ("2027-02-28", None, "2027-04-14", "2027-04-14", &[StandStill::Easter]),
        ];
        for (notified, holidays, thirtieth, last, stood_still) in rows {
            let holidays = holidays.unwrap_or(&Holiday::DEFAULT);
            let deadline = appeal_deadline(date(notified), holidays);
            assert_eq!(deadline.thirtieth_day, date(thirtieth), "30th day after {notified}");
            assert_eq!(deadline.last_day, date(last), "last day after {notified}");
            assert_eq!(deadline.stood_still, *stood_still, "stand-still after {notified}");
        }
    }

    #[test]
    fn the_first_day_is_the_day_after_notification_unless_it_stands_still() {
        assert_eq!(appeal_deadline(date("2026-09-01"), &Holiday::DEFAULT).first_day, date("2026-09-02"));
        assert_eq!(appeal_deadline(date("2026-07-14"), &Holiday::DEFAULT).first_day, date("2026-08-16"));
        assert_eq!(appeal_deadline(date("2026-12-17"), &[]).first_day, date("2027-01-03"));
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn any_date() -> impl Strategy<Value = Date> {
            (days_from_civil(1950, 1, 1)..days_from_civil(2150, 1, 1)).prop_map(|days| Date { days })
        }

        fn any_holidays() -> impl Strategy<Value = Vec<Holiday>> {
            proptest::sample::subsequence(Holiday::ALL.to_vec(), 0..=Holiday::ALL.len())
        }

        proptest! {
            #[test]
            fn the_deadline_is_at_least_thirty_days_on_a_working_day(notified in any_date(), holidays in any_holidays()) {
                let deadline = appeal_deadline(notified, &holidays);
                prop_assert!(deadline.last_day.days_since(notified) >= 30);
                prop_assert!(deadline.thirtieth_day.days_since(notified) >= 30);
                prop_assert!(deadline.last_day >= deadline.thirtieth_day);
                prop_assert!(!is_non_working(deadline.last_day, &holidays));
                prop_assert!(stand_still(deadline.last_day).is_none());
                prop_assert!(stand_still(deadline.first_day).is_none());
                // Exactly 30 counted days from the first to the 30th.
                let counted = (0..=deadline.thirtieth_day.days_since(deadline.first_day))
                    .filter(|offset| stand_still(deadline.first_day.plus(*offset)).is_none())
                    .count();
                prop_assert_eq!(counted, 30);
            }

            #[test]
            fn a_later_notification_never_gives_an_earlier_deadline(notified in any_date(), later in 0i64..400, holidays in any_holidays()) {
                let first = appeal_deadline(notified, &holidays).last_day;
                let second = appeal_deadline(notified.plus(later), &holidays).last_day;
                prop_assert!(second >= first);
            }

            #[test]
            fn dates_print_and_parse_back(day in any_date()) {
                prop_assert_eq!(Date::parse(&day.iso()), Ok(day));
                prop_assert_eq!(Date::parse(&day.swiss()), Ok(day));
            }
        }
    }
}
