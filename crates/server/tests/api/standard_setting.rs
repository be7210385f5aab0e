//! Standard setting (issue 13): a modified-Angoff panel recorded by the
//! board, its cut score and standard error, the Hofstee compromise on the
//! session's scores, the draft conversion for next year (loaded back
//! through the document checks and saved into the bank), the CSV round
//! trip, versioning, bad input and who may do it.

use axum::http::{Method, StatusCode, header};
use grille_scoring::{Conversion, GradingScheme, points_to_grade};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::mock::{TRAINER_PASSWORD, prepare_mock, schools_and_trainers};
use crate::support::{Auth, TestApp, spawn_app};
use crate::workflow::{EXAMINER_PASSWORD, prepare_example, score_example};

fn uri(id: i64) -> String {
    format!("/api/sessions/{id}/standard-setting")
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn put(
    app: &TestApp,
    auth: &Auth,
    id: i64,
    body: &Value,
    if_match: Option<i64>,
) -> crate::support::Answer {
    app.send_with(
        Method::PUT,
        &uri(id),
        auth,
        Some("application/json"),
        body.to_string().into_bytes(),
        if_match,
    )
    .await
}

/// The position items of the worked example and their maxima.
async fn items(app: &TestApp, auth: &Auth, id: i64) -> Vec<(String, Decimal)> {
    let view = app.get(&uri(id), auth).await;
    assert_eq!(view.status, StatusCode::OK, "{:#}", view.body);
    let view: grille_server::StandardSettingView = serde_json::from_value(view.body).expect("typed");
    assert!(view.panel.is_none() && view.results.is_none());
    assert!(view.may_record);
    view.items.iter().map(|item| (item.id.clone(), d(&item.max))).collect()
}

/// A panel whose three members estimate 50 %, 60 % and 70 % of each
/// position's maximum, with Hofstee ranges.
fn panel(items: &[(String, Decimal)], with_ranges: bool) -> Value {
    let total: Decimal = items.iter().map(|(_, max)| *max).sum();
    let members = [("Anna Keller", "0.5"), ("Bruno Rossi", "0.6"), ("Chiara Weber", "0.7")];
    let panellists: Vec<Value> = members
        .iter()
        .map(|(name, share)| {
            let estimates: serde_json::Map<String, Value> = items
                .iter()
                .map(|(id, max)| (id.clone(), json!((*max * d(share)).normalize().to_string())))
                .collect();
            let mut panellist = json!({"name": name, "estimates": estimates});
            if with_ranges {
                panellist["ranges"] = json!({
                    "min_cut": (total * d("0.4")).normalize().to_string(),
                    "max_cut": (total * d("0.8")).normalize().to_string(),
                    "min_fail_rate": "0", "max_fail_rate": "60",
                });
            }
            panellist
        })
        .collect();
    json!({"panellists": panellists})
}

#[tokio::test]
async fn a_board_records_a_panel_and_gets_the_cut_score_hofstee_and_a_draft_conversion() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let items = items(&app, &admin, id).await;
    assert_eq!(items.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["1.1", "1.2", "2.1", "3.1"]);
    let total: Decimal = items.iter().map(|(_, max)| *max).sum();

    let saved = put(&app, &admin, id, &panel(&items, true), None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    let view: grille_server::StandardSettingView = serde_json::from_value(saved.body).expect("typed");
    let record = view.panel.as_ref().unwrap();
    assert_eq!((record.version, record.panel.panellists.len()), (1, 3));
    let results = view.results.as_ref().unwrap();
    // Cut scores 50 %, 60 %, 70 % of the total: the panel's is 60 %, the
    // standard deviation 10 % of the total, the standard error that / √3.
    let angoff = &results.angoff;
    assert_eq!(d(&angoff.max_total), total);
    assert_eq!(d(&angoff.cut_score), (total * d("0.6")).round_dp(2));
    assert_eq!(angoff.percent, "60.0");
    assert_eq!(d(angoff.standard_deviation.as_deref().unwrap()), (total * d("0.1")).round_dp(2));
    let se = total * d("0.1") / d("1.7320508075688772935274463415");
    assert_eq!(d(angoff.standard_error.as_deref().unwrap()), se.round_dp(2));
    let cuts: Vec<&str> = angoff.panellists.iter().map(|cut| cut.percent.as_str()).collect();
    assert_eq!(cuts, ["50.0", "60.0", "70.0"]);
    // The session's scores: every candidate graded on the four positions.
    let distribution = &results.distribution;
    assert!(distribution.candidates >= 4, "{distribution:?}");
    assert_eq!(distribution.rows.len(), 10);
    assert_eq!(distribution.rows.iter().map(|row| row.candidates).sum::<usize>(), distribution.candidates);
    assert_eq!(distribution.rows.last().unwrap().fail_rate_below, "100.0");
    // Hofstee: a compromise between 40 % and 80 % of the total, or the
    // limit it ran into, said either way.
    let hofstee = results.hofstee.as_ref().expect("every panellist gave ranges");
    assert_eq!(d(&hofstee.min_cut), (total * d("0.4")).round_dp(2));
    assert!(["cut", "too_many_fail", "too_few_fail"].contains(&hofstee.outcome.as_str()), "{hofstee:?}");
    assert!(results.hofstee_missing.is_none());

    // The draft conversion: 4.0 exactly at the cut score, as a share of
    // the maximum, 1.0 at 0 points, 6.0 at the maximum.
    let draft = &results.drafts[0];
    assert_eq!(draft.pass_fraction, "0.6");
    assert_eq!(d(&draft.points_at_pass_mark), total * d("0.6"));
    assert_eq!(draft.grades, ("1.0".to_owned(), "4.0".to_owned(), "6.0".to_owned()));
    let download = app.get(&format!("{}/draft-scheme", uri(id)), &admin).await;
    assert_eq!(download.status, StatusCode::OK, "{:#}", download.body);
    // Loaded back through the document checks of a scheme file.
    let scheme = GradingScheme::from_json(&download.body.to_string()).expect("a valid grading scheme");
    assert_eq!(scheme.conversion, Conversion::TwoPiece { pass_fraction: d("0.6") });
    assert_eq!(scheme.version, draft.scheme_version);
    for (points, grade) in [(Decimal::ZERO, "1.0"), (total * d("0.6"), "4.0"), (total, "6.0")] {
        let explained = points_to_grade(points, total, &scheme).unwrap();
        assert_eq!(explained.unrounded.normalize(), d(grade).normalize(), "{points}");
    }
    assert!(scheme.assumptions.last().unwrap().contains("jamais appliquée"), "{:?}", scheme.assumptions);
    // Offered to the bank as a new draft; never applied to the session.
    let bank =
        app.post_json("/api/documents", &admin, &json!({"kind": "scheme", "document": download.body})).await;
    assert_eq!(bank.status, StatusCode::CREATED, "{:#}", bank.body);
    assert_eq!(bank.body["summary"]["state"], "draft");
    let session = app.get(&format!("/api/sessions/{id}"), &admin).await;
    assert!(!session.body.to_string().contains(&draft.scheme_version), "the session pins its own scheme");
    // A second save of the same draft is the same version: the bank says so.
    let again =
        app.post_json("/api/documents", &admin, &json!({"kind": "scheme", "document": download.body})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:#}", again.body);

    // Without ranges there is no compromise, and the reason is said.
    let without = put(&app, &admin, id, &panel(&items, false), Some(1)).await;
    assert_eq!(without.status, StatusCode::OK, "{:#}", without.body);
    assert_eq!(without.body["panel"]["version"], 2);
    assert_eq!(without.body["results"]["hofstee_missing"], "no_ranges");
    let hofstee_draft = app.get(&format!("{}/draft-scheme?cut=hofstee", uri(id)), &admin).await;
    assert_eq!(hofstee_draft.status, StatusCode::CONFLICT, "{:#}", hofstee_draft.body);
}

#[tokio::test]
async fn a_panel_by_criterion_in_probabilities_on_one_part() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let view = app.get(&format!("{}?part=2&basis=criterion", uri(id)), &admin).await;
    assert_eq!(view.status, StatusCode::OK, "{:#}", view.body);
    let items = view.body["items"].as_array().unwrap().clone();
    assert!(items.len() > 1);
    assert!(items.iter().all(|item| item["id"].as_str().unwrap().starts_with("2.1:")), "{items:?}");
    let estimates: serde_json::Map<String, Value> =
        items.iter().map(|item| (item["id"].as_str().unwrap().to_owned(), json!("0.5"))).collect();
    let body = json!({"part": "2", "basis": "criterion", "unit": "probability",
                      "panellists": [{"name": "Anna", "estimates": estimates}]});
    let saved = put(&app, &admin, id, &body, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    let angoff = &saved.body["results"]["angoff"];
    assert_eq!(angoff["percent"], "50.0");
    // One panellist: no spread, said as absent rather than zero.
    assert_eq!(angoff["standard_error"], Value::Null);
    // Nobody is scored yet: no distribution, no compromise.
    assert_eq!(saved.body["results"]["distribution"]["candidates"], 0);
}

/// Every kind of bad input: a 4xx naming the field, nothing saved.
#[tokio::test]
async fn bad_panels_are_refused_with_their_pointer_and_nothing_is_saved() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    let items = items(&app, &admin, id).await;
    let good = panel(&items, true);
    let with = |pointer: &str, value: Value| {
        let mut body = good.clone();
        match body.pointer_mut(pointer) {
            Some(place) => *place = value,
            None => body[&pointer[1..]] = value,
        }
        body
    };
    let mut unknown = good.clone();
    unknown["panellists"][0]["estimates"]["9.9"] = json!("1");
    let mut missing = good.clone();
    missing["panellists"][1]["estimates"].as_object_mut().unwrap().remove("2.1");
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        ("unknown item", unknown, 422, "/panellists/0/estimates/9.9"),
        ("missing estimate", missing, 422, "/panellists/1/estimates/2.1"),
        (
            "negative points",
            with("/panellists/0/estimates/1.1", json!("-1")),
            422,
            "/panellists/0/estimates/1.1",
        ),
        (
            "above the maximum",
            with("/panellists/2/estimates/3.1", json!("999")),
            422,
            "/panellists/2/estimates/3.1",
        ),
        (
            "not a number",
            with("/panellists/2/estimates/3.1", json!("douze")),
            422,
            "/panellists/2/estimates/3.1",
        ),
        ("no panellist", json!({"panellists": []}), 422, "/panellists"),
        ("empty name", with("/panellists/1/name", json!("")), 422, "/panellists/1/name"),
        ("same name twice", with("/panellists/1/name", json!("anna keller")), 422, "/panellists/1/name"),
        ("unknown part", with("/part", json!("9")), 422, "/part"),
        ("unknown unit", with("/unit", json!("percent")), 422, "/unit"),
        (
            "fail rate above 100",
            with("/panellists/0/ranges/max_fail_rate", json!("120")),
            422,
            "/panellists/0/ranges/max_fail_rate",
        ),
        (
            "inverted cut range",
            with("/panellists/0/ranges/min_cut", json!("99")),
            422,
            "/panellists/0/ranges/max_cut",
        ),
        ("unknown field", with("/panellists/0/ranges", json!({"low": "1"})), 422, "/panellists/0/ranges"),
    ];
    for (what, body, status, pointer) in cases {
        let answer = put(&app, &admin, id, &body, None).await;
        let problem = answer.problem(status, what);
        let pointers: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {problem:#}"))
            .iter()
            .filter_map(|e| e["pointer"].as_str())
            .collect();
        assert!(pointers.iter().any(|p| p.starts_with(pointer)), "{what}: {pointers:?} {problem:#}");
    }
    let malformed = app
        .send(Method::PUT, &uri(id), &admin, Some("application/json"), b"{\"panellists\": [".to_vec())
        .await;
    malformed.problem(400, "malformed JSON");
    let none = app.get(&uri(id), &admin).await;
    assert_eq!(none.body["panel"], Value::Null, "nothing was saved");

    // Versions: the first save names none; a stale or invented one is
    // 409 and loses nothing; an If-Match of another form is 400.
    assert_eq!(put(&app, &admin, id, &good, Some(1)).await.status, StatusCode::CONFLICT);
    assert_eq!(put(&app, &admin, id, &good, None).await.status, StatusCode::OK);
    let second = panel(&items, false);
    assert_eq!(put(&app, &admin, id, &second, Some(1)).await.status, StatusCode::OK);
    for stale in [None, Some(1), Some(7)] {
        let answer = put(&app, &admin, id, &good, stale).await;
        answer.problem(409, &format!("stale {stale:?}"));
    }
    let now = app.get(&uri(id), &admin).await;
    assert_eq!(now.body["panel"]["version"], 2);
    for (index, panellist) in second["panellists"].as_array().unwrap().iter().enumerate() {
        let kept = &now.body["panel"]["panel"]["panellists"][index];
        assert_eq!(kept["estimates"], panellist["estimates"], "the second save is kept whole");
        assert_eq!(kept["ranges"], Value::Null);
    }
    // Bad query parameters name the parameter.
    for query in ["?part=9", "?basis=competence"] {
        let answer = app.get(&format!("{}{query}", uri(id)), &admin).await;
        assert!(answer.status.is_client_error(), "{query}: {:#}", answer.body);
    }
    for query in ["/csv", "/csv?table=everything", "/draft-scheme?cut=median"] {
        let answer = app.get(&format!("{}{query}", uri(id)), &admin).await;
        answer.problem(400, query);
    }
}

/// What is wrong, the file, and the (line, column) of each problem it must
/// name (line 0: any line).
type CsvCase = (&'static str, &'static str, Vec<(u64, &'static str)>);

#[tokio::test]
async fn the_panel_goes_out_and_back_in_as_csv_with_lines_and_columns_for_its_problems() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    let id = prepare_example(&app, &admin).await;
    score_example(&app, id).await;
    let items = items(&app, &admin, id).await;
    assert_eq!(put(&app, &admin, id, &panel(&items, true), None).await.status, StatusCode::OK);
    let exported = app.get(&format!("{}/csv?table=panel", uri(id)), &admin).await;
    assert_eq!(exported.status, StatusCode::OK);
    let Value::String(text) = &exported.body else { panic!("not text") };
    assert!(text.starts_with('\u{feff}'), "a BOM");
    assert!(text[3..].starts_with("élément;Anna Keller;Bruno Rossi;Chiara Weber"), "{text}");
    assert!(text.contains("\nmin_fail_rate;0;0;0"), "{text}");
    let disposition = exported.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.contains(&format!("session-{id}-angoff-panel.csv")), "{disposition}");
    for (table, first) in [("results", "Mesure;Seuil"), ("distribution", "De (points);")] {
        let answer = app.get(&format!("{}/csv?table={table}&lang=fr", uri(id)), &admin).await;
        let Value::String(csv) = &answer.body else { panic!("{table}: not text") };
        assert!(csv.starts_with('\u{feff}') && csv[3..].starts_with(first), "{table}: {csv}");
        assert!(csv.lines().count() > 4, "{table}: {csv}");
    }
    let german = app.get(&format!("{}/csv?table=distribution&lang=de", uri(id)), &admin).await;
    assert!(german.body.as_str().unwrap()[3..].starts_with("Von (Punkte);"), "{:#}", german.body);

    // The same file back: the same panel; confirming it is version 2.
    let csv = text.trim_start_matches('\u{feff}').to_owned();
    let preview = app.post_raw(&format!("{}/csv/preview", uri(id)), &admin, "text/csv", &csv).await;
    assert_eq!(preview.status, StatusCode::OK, "{:#}", preview.body);
    let preview: grille_server::PanelPreview = serde_json::from_value(preview.body).expect("typed");
    assert_eq!(preview.replaces, Some(1));
    assert_eq!(preview.panel.panellists.len(), 3);
    let stored = app.get(&uri(id), &admin).await;
    assert_eq!(serde_json::to_value(&preview.panel).unwrap(), stored.body["panel"]["panel"]);
    let confirmed = app
        .send_with(
            Method::POST,
            &format!("{}/csv", uri(id)),
            &admin,
            Some("text/csv"),
            csv.clone().into_bytes(),
            Some(1),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{:#}", confirmed.body);
    assert_eq!(confirmed.body["panel"]["version"], 2);
    let stale = app
        .send_with(
            Method::POST,
            &format!("{}/csv", uri(id)),
            &admin,
            Some("text/csv"),
            csv.into_bytes(),
            Some(1),
        )
        .await;
    stale.problem(409, "stale CSV");

    // Windows-1252 (Excel's "CSV" on a Swiss Windows) is read too.
    let latin: Vec<u8> = "Element;Jürg\n1.1;1\n1.2;1\n2.1;1\n3.1;1\n".chars().map(|c| c as u8).collect();
    let read =
        app.send(Method::POST, &format!("{}/csv/preview", uri(id)), &admin, Some("text/csv"), latin).await;
    assert_eq!(read.status, StatusCode::OK, "{:#}", read.body);
    assert_eq!(read.body["panel"]["panellists"][0]["name"], "Jürg");
    assert_eq!(read.body["encoding"], "windows1252");

    // Malformed files: every problem with its line and column.
    let cases: Vec<CsvCase> = vec![
        ("unknown item", "element;Anna\n1.1;1\n1.2;1\n2.1;1\n3.1;1\n9.9;1\n", vec![(6, "Anna")]),
        (
            "negative and too high",
            "element;Anna;Bruno\n1.1;-1;1\n1.2;1;999\n2.1;1;1\n3.1;1;1\n",
            vec![(2, "Anna"), (3, "Bruno")],
        ),
        ("an empty cell", "element;Anna\n1.1;\n1.2;1\n2.1;1\n3.1;1\n", vec![(2, "Anna")]),
        ("a short line", "element;Anna;Bruno\n1.1;1\n1.2;1;1\n2.1;1;1\n3.1;1;1\n", vec![(2, "")]),
        ("no panellist", "element\n1.1\n", vec![(1, "")]),
        ("a nameless column", "element;;Bruno\n1.1;1;1\n", vec![(1, "2")]),
        ("an item twice", "element;Anna\n1.1;1\n1.1;2\n1.2;1\n2.1;1\n3.1;1\n", vec![(3, "element")]),
        ("ranges incomplete", "element;Anna\n1.1;1\n1.2;1\n2.1;1\n3.1;1\nmin_cut;1\n", vec![(0, "Anna")]),
        (
            "a fail rate above 100",
            "element;Anna\n1.1;1\n1.2;1\n2.1;1\n3.1;1\nmin_cut;1\nmax_cut;2\nmin_fail_rate;0\nmax_fail_rate;101\n",
            vec![(9, "Anna")],
        ),
    ];
    for (what, csv, expected) in cases {
        let answer = app.post_raw(&format!("{}/csv/preview", uri(id)), &admin, "text/csv", csv).await;
        let problem = answer.problem(422, what);
        let found: Vec<(u64, String)> = problem["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("{what}: {problem:#}"))
            .iter()
            .map(|e| (e["line"].as_u64().unwrap_or(0), e["field"].as_str().unwrap_or("").to_owned()))
            .collect();
        for (line, column) in expected {
            assert!(
                found.iter().any(|(l, c)| (line == 0 || *l == line) && c == column),
                "{what}: expected line {line} column {column:?} in {found:?}"
            );
        }
    }
    let workbook = app
        .send(
            Method::POST,
            &format!("{}/csv/preview", uri(id)),
            &admin,
            Some("text/csv"),
            b"PK\x03\x04xl/".to_vec(),
        )
        .await;
    workbook.problem(422, "a workbook");
    let json = app.post_json(&format!("{}/csv/preview", uri(id)), &admin, &json!({})).await;
    json.problem(415, "not CSV");
}

/// A mock session's standard setting is its school's trainers': the
/// trainer records, another school's trainer gets 404, the board 403, a
/// trainer whose own marks are still due 403 (the answer shows scores).
#[tokio::test]
async fn a_school_sets_the_standard_of_its_mock_exam() {
    let app = spawn_app();
    let admin = app.admin().await.bearer();
    schools_and_trainers(&app, &admin).await;
    let formatrice = app.login("formatrice", TRAINER_PASSWORD).await.bearer();
    let other = app.login("autre-ecole", TRAINER_PASSWORD).await.bearer();
    let examiner = app.login("exp-01", EXAMINER_PASSWORD).await.bearer();
    let mock = prepare_mock(&app, &formatrice).await;
    let items = items(&app, &formatrice, mock).await;
    let body = panel(&items, false);
    for (who, auth, status) in [
        ("board", &admin, 403),
        ("other school", &other, 404),
        ("trainer with marks due", &examiner, 403),
        ("anonymous", &Auth::None, 401),
    ] {
        assert_eq!(app.get(&uri(mock), auth).await.status.as_u16(), status, "{who} GET");
        assert_eq!(put(&app, auth, mock, &body, None).await.status.as_u16(), status, "{who} PUT");
    }
    let saved = put(&app, &formatrice, mock, &body, None).await;
    assert_eq!(saved.status, StatusCode::OK, "{:#}", saved.body);
    assert_eq!(saved.body["panel"]["updated_by"], "formatrice");
}
