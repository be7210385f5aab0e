//! The language of an examiner's remarks in a real browser, over the demo
//! app: exp-01 scores 2026-006 on 1.2 in German on a phone (390 × 844).
//! The choice of the remarks' language is shown, labelled, inside the
//! screen and usable (axe finds nothing serious, the page does not scroll
//! sideways). Then a second tab on the same draft changes that language
//! to French and saves: the server keeps French, the last save it
//! acknowledged. The first tab, still on the older version, changes a
//! level: its save is refused and both versions are shown, the language
//! of the remarks among the differences; keeping its own version saves
//! its German choice with every mark of both tabs' work it holds, and the
//! second tab, saving on, is told of the conflict in its turn.

use serde_json::{Value, json};

use super::accessibility::{PHONE_HEIGHT, axe_source, phone_problems, run_axe};
use super::screenshot_path;
use super::support::{Api, Journey, choose, journey, log_in, save_status, type_into, value_of};
use super::webdriver::Browser;

const PHONE_WIDTH: u32 = 390;
const EVALUATION: &str = "/api/sessions/1/candidates/2026-006/positions/1.2/evaluations/mine";

/// exp-01's evaluation as the server holds it (`null` before the first save).
fn stored(api: &Api, token: &str) -> Value {
    let (status, evaluation) = api.call("GET", EVALUATION, token, None, None);
    if status == 200 { evaluation } else { Value::Null }
}

/// The answer to `criterion` in a stored evaluation.
fn answer<'a>(evaluation: &'a Value, criterion: &str) -> &'a Value {
    evaluation["answers"]
        .as_array()
        .and_then(|answers| answers.iter().find(|answer| answer["criterion"] == criterion))
        .unwrap_or(&Value::Null)
}

/// The points of `criterion` in a stored evaluation, as text.
fn points(evaluation: &Value, criterion: &str) -> Option<String> {
    answer(evaluation, criterion)["points"].as_str().map(str::to_owned)
}

/// The rows of the conflict panel that differ: (row heading, mine,
/// server's, `lang` of mine, `lang` of the server's).
fn differing_rows(browser: &Browser) -> Vec<Value> {
    let rows = browser.execute(
        "return [...document.querySelectorAll('#conflict-rows tr.differs')].map(row =>
           [row.querySelector('th').textContent, ...[...row.querySelectorAll('td')].map(td => td.textContent),
            ...[...row.querySelectorAll('td')].map(td => td.lang)]);",
    );
    rows.as_array().cloned().unwrap_or_default()
}

/// Whether the conflict panel is shown.
fn conflict_shown(browser: &Browser) -> bool {
    browser.execute("const p = document.getElementById('conflict-panel'); return !!p && !p.hidden;")
        == json!(true)
}

/// Whether a stored evaluation is the version the form shown is based on.
fn at_version(evaluation: &Value, browser: &Browser) -> bool {
    evaluation["version"].as_i64().is_some_and(|stored| stored.to_string() == version(browser))
}

/// The `lang` of the remark on c1 and of the overall remark.
fn field_langs(browser: &Browser) -> Value {
    browser.execute("return ['remark-c1', 'remark'].map(id => document.getElementById(id).lang);")
}

/// The form's version field (the version its next save is based on).
fn version(browser: &Browser) -> String {
    value_of(browser, "#version").as_str().unwrap_or_default().to_owned()
}

#[test]
fn the_remarks_language_is_chosen_on_a_german_phone_and_two_tabs_keep_one_language() {
    let axe = axe_source();
    let Some(Journey { lock: _lock, demo, browser }) = journey() else { return };
    let base = demo.base();
    let api = demo.api();
    let token = api.token("exp-01", grille_server::DEMO_PASSWORD);
    let form = format!("{base}/examiner/sessions/1/candidates/2026-006/positions/1.2?lang=de");

    log_in(&browser, &base, "exp-01", grille_server::DEMO_PASSWORD);
    browser.set_size(PHONE_WIDTH, PHONE_HEIGHT);
    browser.goto(&form);
    browser.wait_element("#remark-language");
    assert_eq!(browser.execute("return window.innerWidth;"), json!(PHONE_WIDTH));
    assert_eq!(browser.execute("return document.documentElement.lang;"), json!("de"));

    // The choice: labelled, German proposed, every language named in its
    // own, inside the screen and not hidden under anything.
    let choice = browser.execute(
        "const select = document.getElementById('remark-language');
         select.scrollIntoView({ block: 'center' });
         const box = select.getBoundingClientRect();
         const root = document.documentElement;
         const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
         return {
           label: [...select.labels].map(label => label.textContent.trim()),
           value: select.value,
           options: [...select.options].map(option => [option.value, option.lang, option.textContent.trim()]),
           shown: box.width > 0 && box.height > 0 && getComputedStyle(select).visibility === 'visible',
           inside: box.left >= 0 && box.right <= root.clientWidth && box.top >= 0 && box.bottom <= window.innerHeight,
           reachable: top === select || select.contains(top),
           height: box.height,
           sideways: root.scrollWidth > root.clientWidth + 1,
         };",
    );
    assert_eq!(choice["label"], json!(["Sprache der Bemerkungen"]), "{choice:#}");
    assert_eq!(choice["value"], "de", "{choice:#}");
    assert_eq!(
        choice["options"],
        json!([["fr", "fr", "Français"], ["de", "de", "Deutsch"], ["it", "it", "Italiano"]]),
        "{choice:#}"
    );
    for check in ["shown", "inside", "reachable"] {
        assert_eq!(choice[check], json!(true), "{check}: {choice:#}");
    }
    assert_eq!(choice["sideways"], json!(false), "{choice:#}");
    assert!(choice["height"].as_f64().unwrap_or_default() >= 24.0, "a target too small: {choice:#}");
    let phone = phone_problems(&browser);
    assert!(phone.is_empty(), "{phone:?}");
    let serious: Vec<String> = run_axe(&browser, &axe)
        .into_iter()
        .filter(|violation| matches!(violation.impact.as_str(), "serious" | "critical"))
        .map(|violation| format!("{} ({}) on {:?}", violation.rule, violation.impact, violation.nodes))
        .collect();
    assert!(serious.is_empty(), "{serious:?}");
    browser.element_screenshot(
        &browser.find(".remark-language"),
        &screenshot_path("phone-de-examiner-remark-language"),
    );

    // The first tab: a level and a German remark, saved.
    choose(&browser, "", "c1", 2);
    type_into(&browser, "#remark-c1", "Klar gegliedert.");
    // Leaving the field (its change event saves once more) before the
    // second tab opens, so that both tabs start from one version.
    browser.execute("document.activeElement.blur();");
    let settled = || {
        let evaluation = stored(&api, &token);
        answer(&evaluation, "c1")["remark"] == "Klar gegliedert."
            && at_version(&evaluation, &browser)
            && save_status(&browser).starts_with("Entwurf gespeichert")
    };
    browser.wait_for("the first tab's draft saved", settled);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    browser.wait_for("the first tab's draft still saved", settled);
    assert_eq!(stored(&api, &token)["remark_language"], "de");
    let first = browser.tab();
    let first_version = version(&browser);

    // The second tab on the same draft: French chosen for the remarks, saved.
    browser.new_tab();
    browser.goto(&form);
    browser.wait_element("#remark-language");
    assert_eq!(value_of(&browser, "#remark-c1"), json!("Klar gegliedert."));
    assert_eq!(value_of(&browser, "#remark-language"), json!("de"));
    assert_eq!(version(&browser), first_version);
    browser.click(&browser.find("#remark-language option[value='fr']"));
    browser.wait_for("the second tab's save in French", || {
        let evaluation = stored(&api, &token);
        evaluation["remark_language"] == "fr" && at_version(&evaluation, &browser)
    });
    // The remark fields now say they are French (on a German page).
    assert_eq!(field_langs(&browser), json!(["fr", "fr"]));
    let second = browser.tab();
    // The last save acknowledged says French.
    let after_second = stored(&api, &token);
    assert_eq!(after_second["remark_language"], "fr", "{after_second:#}");

    // Back in the first tab, still on the older version, with German
    // chosen: a level changed there is refused and both versions shown.
    browser.switch_to_tab(&first);
    assert_eq!(version(&browser), first_version);
    assert_eq!(value_of(&browser, "#remark-language"), json!("de"));
    choose(&browser, "", "c2", 1);
    browser.wait_for("the first tab told of the conflict", || conflict_shown(&browser));
    assert!(save_status(&browser).starts_with("Eine neuere Version"), "{}", save_status(&browser));
    let rows = differing_rows(&browser);
    assert_eq!(
        rows,
        vec![
            json!(["c2", "1 P.", "ohne Antwort", "", ""]),
            json!(["Sprache der Bemerkungen", "Deutsch", "Français", "de", "fr"]),
        ],
        "{rows:?}"
    );
    // Nothing was written over: the server still holds the second tab's save.
    assert_eq!(stored(&api, &token), after_second);
    browser.screenshot(&screenshot_path("phone-de-examiner-remark-language-conflict"), PHONE_WIDTH, 3000);
    browser.set_size(PHONE_WIDTH, PHONE_HEIGHT);

    // Keeping its own version: its language, German, with both levels and
    // the remark.
    super::click_in_view(&browser, "#conflict-keep-mine");
    browser.wait_for("the first tab's version saved", || {
        let evaluation = stored(&api, &token);
        evaluation["remark_language"] == "de"
            && at_version(&evaluation, &browser)
            && !conflict_shown(&browser)
    });
    let kept = stored(&api, &token);
    assert_eq!(
        (points(&kept, "c1"), points(&kept, "c2"), answer(&kept, "c1")["remark"].as_str()),
        (Some("2".to_owned()), Some("1".to_owned()), Some("Klar gegliedert.")),
        "{kept:#}"
    );
    assert_eq!(value_of(&browser, "#remark-language"), json!("de"));

    // The second tab, still believing French, saves on: told in its turn,
    // it takes the server's version and shows German again.
    browser.switch_to_tab(&second);
    assert_eq!(value_of(&browser, "#remark-language"), json!("fr"));
    choose(&browser, "", "c3", 2);
    browser.wait_for("the second tab told of the conflict", || conflict_shown(&browser));
    let rows = differing_rows(&browser);
    assert!(
        rows.contains(&json!(["Sprache der Bemerkungen", "Français", "Deutsch", "fr", "de"])),
        "{rows:?}"
    );
    super::click_in_view(&browser, "#conflict-take-theirs");
    browser.wait_for("the server's version in the second tab", || !conflict_shown(&browser));
    assert_eq!(value_of(&browser, "#remark-language"), json!("de"));
    assert_eq!(field_langs(&browser), json!(["", ""]), "German on a German page: no mark");
    assert_eq!(stored(&api, &token), kept, "taking the server's version writes nothing");
}
