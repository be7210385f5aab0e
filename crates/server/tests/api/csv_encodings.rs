//! CSV uploads in the encodings Excel writes: UTF-8 with or without a
//! byte order mark, UTF-16 with its mark, Windows-1252 (ISO-8859-1) for
//! anything else. Every preview says which encoding it read, « Müller »
//! comes out right whatever the file, and a file that is no text is a 422
//! with the line and column where it went wrong.

use axum::http::{Method, StatusCode};

use crate::support::spawn_app;

/// « Müller, Zoé » in the encodings Excel writes, with the separator of
/// each kind of file.
fn files() -> Vec<(&'static str, Vec<u8>)> {
    let text = "numero;nom;prenom\r\n2027-301;Müller;Zoé\r\n";
    let mut with_bom = vec![0xEF, 0xBB, 0xBF];
    with_bom.extend_from_slice(text.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.replace(';', "\t").encode_utf16().flat_map(u16::to_le_bytes));
    vec![
        // "CSV (séparateur : point-virgule)" on a Swiss Windows.
        ("windows1252", b"numero;nom;prenom\r\n2027-301;M\xfcller;Zo\xe9\r\n".to_vec()),
        ("utf8_bom", with_bom),
        ("utf8", text.as_bytes().to_vec()),
        ("utf16le", utf16),
    ]
}

#[tokio::test]
async fn every_preview_says_the_encoding_it_read_and_muller_comes_out_right() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    for (encoding, bytes) in files() {
        let uri = format!("/api/sessions/{session}/candidates/csv/preview");
        let answer = app.send(Method::POST, &uri, &admin.bearer(), Some("text/csv"), bytes.clone()).await;
        assert_eq!(answer.status, StatusCode::OK, "{encoding}: {:#}", answer.body);
        assert_eq!(answer.body["encoding"], encoding, "{:#}", answer.body);
        assert_eq!(answer.body["candidates"][0]["family_name"], "Müller", "{encoding}");
        assert_eq!(answer.body["candidates"][0]["given_name"], "Zoé", "{encoding}");
    }
    // Saved as read.
    let (_, latin) = files().remove(0);
    let uri = format!("/api/sessions/{session}/candidates/csv");
    let answer = app.send(Method::POST, &uri, &admin.bearer(), Some("text/csv"), latin).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{:#}", answer.body);
    let list = app.get(&format!("/api/sessions/{session}/candidates"), &admin.bearer()).await;
    assert_eq!(list.body[0]["family_name"], "Müller", "{:#}", list.body);

    // The other uploads read the same way: assignments (the header
    // « épreuve ; expert·e » understood, the one row checked) and accounts.
    let uri = format!("/api/sessions/{session}/assignments/csv/preview");
    let file = b"numero;\xe9preuve;expert\xb7e\r\n2027-301;1;m\xfcller\r\n".to_vec();
    let answer = app.send(Method::POST, &uri, &admin.bearer(), Some("text/csv"), file).await;
    let problem = answer.problem(422, "an unknown examiner");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem:#}");
    assert_eq!(
        (&problem["errors"][0]["line"], &problem["errors"][0]["field"]),
        (&2.into(), &"examiner".into())
    );
    // Accounts: the header « rôle » is understood, the user name read as
    // « jürg » (then refused: user names are ASCII).
    let file = b"utilisateur;r\xf4le\r\nj\xfcrg;examiner\r\n".to_vec();
    let answer =
        app.send(Method::POST, "/api/users/csv/preview", &admin.bearer(), Some("text/csv"), file).await;
    let problem = answer.problem(422, "a user name with an umlaut");
    assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem:#}");
    assert_eq!(problem["errors"][0]["field"], "username", "{problem:#}");
    assert!(problem["errors"][0]["detail"].as_str().unwrap().contains("« jürg »"), "{problem:#}");
}

#[tokio::test]
async fn a_file_that_is_no_text_is_refused_with_its_place() {
    let app = spawn_app();
    let admin = app.admin().await;
    let session = app.session(&admin).await;
    let uri = format!("/api/sessions/{session}/candidates/csv/preview");
    let utf16_without_mark: Vec<u8> =
        "numero;nom;prenom\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
    for (what, bytes, line, words) in [
        ("a workbook", b"PK\x03\x04\x14\x00\x06\x00".to_vec(), None, "classeur"),
        ("UTF-16 without its mark", utf16_without_mark, Some(1), "U+0000 à la ligne 1, colonne 2"),
        (
            "an undefined byte",
            b"numero;nom;prenom\n2027-1;M\x81ller;A\n".to_vec(),
            Some(2),
            "U+0081 à la ligne 2, colonne 9",
        ),
    ] {
        let answer = app.send(Method::POST, &uri, &admin.bearer(), Some("text/csv"), bytes).await;
        let problem = answer.problem(422, what);
        assert_eq!(problem["errors"][0]["line"].as_u64(), line, "{what}: {problem:#}");
        assert!(problem["errors"][0]["detail"].as_str().unwrap().contains(words), "{what}: {problem:#}");
    }
}
