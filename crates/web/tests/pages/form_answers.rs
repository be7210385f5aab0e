//! The scoring form, read by the pages in process: the API hands its
//! answer over typed to a call marked `InProcess` (the same value any
//! other caller gets as JSON, after the same checks), and the form shows
//! every save at once, whatever the language, although the server keeps
//! what it read for the form by the session's revision.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;

use crate::support::{BOARD_PASSWORD, PASSWORD, app_with_board};

const FORM: &str = "/api/sessions/1/candidates/2026-006/positions/1.1/form";
const PAGE: &str = "/examiner/sessions/1/candidates/2026-006/positions/1.1";

fn get(uri: &str, cookie: &str, in_process: bool) -> Request<Body> {
    let mut request = Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    if in_process {
        request.extensions_mut().insert(grille_server::InProcess);
    }
    request
}

#[tokio::test]
async fn the_form_answered_in_process_is_the_json_answer_after_the_same_checks() {
    let app = app_with_board();
    let (examiner, _) =
        app.login("exp-01", PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    let (board, _) =
        app.login("commission", BOARD_PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    for (who, cookie) in [("examiner", &examiner), ("board", &board)] {
        let answer = app.answer(get(FORM, cookie, false)).await;
        assert_eq!(answer.status(), StatusCode::OK, "{who}");
        let bytes = answer.into_body().collect().await.unwrap().to_bytes();
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();

        let mut typed = app.answer(get(FORM, cookie, true)).await;
        assert_eq!(typed.status(), StatusCode::OK, "{who}");
        let value = grille_server::take_typed(&mut typed).expect("the typed answer");
        assert!(typed.into_body().collect().await.unwrap().to_bytes().is_empty(), "{who}: no JSON written");
        let form: grille_server::PositionForm = value.into_value().unwrap();
        assert_eq!(serde_json::to_value(&form).unwrap(), json, "{who}");
        assert!(!form.rubric.criteria.is_empty());

        // Asked as another type, the value is read from its JSON.
        let mut typed = app.answer(get(FORM, cookie, true)).await;
        let value = grille_server::take_typed(&mut typed).expect("the typed answer");
        assert_eq!(value.into_value::<serde_json::Value>().unwrap(), json, "{who}");
    }

    // Refused alike, with the problem as JSON: an examiner of another
    // part, and nobody.
    let (stranger, _) =
        app.login("exp-03", PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    for (who, cookie, status) in
        [("exp-03", stranger.as_str(), StatusCode::FORBIDDEN), ("nobody", "", StatusCode::UNAUTHORIZED)]
    {
        let plain = app.answer(get(FORM, cookie, false)).await;
        let mut typed = app.answer(get(FORM, cookie, true)).await;
        assert_eq!((plain.status(), typed.status()), (status, status), "{who}");
        assert!(grille_server::take_typed(&mut typed).is_none(), "{who}");
        let plain = plain.into_body().collect().await.unwrap().to_bytes();
        let typed = typed.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(plain, typed, "{who}: the same problem");
    }
}

/// Each round saves other answers and another remark, then reads the form
/// in French, German and Italian: every read shows that save and no other.
#[tokio::test]
async fn the_form_shows_every_save_in_every_language() {
    let app = app_with_board();
    let (examiner, csrf) =
        app.login("exp-01", PASSWORD).await.unwrap_or_else(|answer| panic!("{}", answer.body));
    let rounds =
        [("0", "1", "Premier passage"), ("3", "2", "Deuxième passage"), ("1", "0", "Dritter Durchgang")];
    // The version of the draft the form shows (none before the first save).
    let mut version = String::new();
    for (c1, c2, remark) in rounds {
        let form = format!(
            "csrf={csrf}&action=save&version={version}&points-c1={c1}&points-c2={c2}&remark-c2={}&remark={}",
            remark.replace(' ', "+"),
            remark.replace(' ', "+")
        );
        let saved = app.send("POST", PAGE, &examiner, Some(&form)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        for lang in ["fr", "de", "it"] {
            let page = app.send("GET", &format!("{}&lang={lang}", saved.location), &examiner, None).await;
            assert_eq!(page.status, StatusCode::OK, "{lang}: {}", page.body);
            let checked: Vec<&str> = page
                .body
                .split("<input type=\"radio\"")
                .skip(1)
                .filter(|input| input.split('>').next().is_some_and(|tag| tag.contains(" checked")))
                .filter_map(|input| input.split("id=\"").nth(1)?.split('"').next())
                .collect();
            assert_eq!(checked, [format!("level-c1-{c1}"), format!("level-c2-{c2}")], "{lang}");
            assert!(page.body.contains(&format!(">{remark}</textarea>")), "{lang}: {remark}");
            let shown =
                page.body.split(r#"id="version" value=""#).nth(1).and_then(|rest| rest.split('"').next());
            version = shown.expect("the version field").to_owned();
            assert!(!version.is_empty(), "{lang}: a saved draft has a version");
        }
    }
}
