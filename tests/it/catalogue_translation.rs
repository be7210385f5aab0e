//! `grille catalogue translation template|import` as a board runs it: the
//! template, each kind of malformed sheet (unknown id, missing id, empty
//! text, wrong language column, duplicate id, bad encoding, ...) refused
//! with its line and column in the user's language and nothing imported,
//! a partial import that lists what stays French, and the round trip
//! template → fill → import → `grille serve` shows the German text in the
//! pages, the catalogue API and the exports.

use std::path::Path;

use grille_competence::Catalogue;

use crate::serve_cli::Server;
use crate::support::{grille, grille_with_env, temp_dir};

/// The template of `language`, as written on stdout.
fn template(language: &str, data: &Path) -> String {
    let run = grille(&[
        "catalogue",
        "translation",
        "template",
        "--lang",
        language,
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// The template's rows (id, French, translation), header first.
fn rows(sheet: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(sheet.trim_start_matches('\u{feff}').as_bytes());
    reader.records().map(|record| record.unwrap().iter().map(str::to_owned).collect()).collect()
}

/// A sheet from rows, `;`-separated.
fn sheet(rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// Every row filled with a German text made from its id.
fn filled(template: &str) -> Vec<Vec<String>> {
    let mut rows = rows(template);
    for row in rows.iter_mut().skip(1) {
        row[2] = format!("Übersetzung von {} (äöü)", row[0]);
    }
    rows
}

fn import(file: &Path, data: &Path, extra: &[&str]) -> crate::support::Run {
    let mut args =
        vec!["catalogue", "translation", "import", file.to_str().unwrap(), "--data", data.to_str().unwrap()];
    args.extend_from_slice(extra);
    grille(&args)
}

#[test]
fn the_template_has_every_text_of_the_catalogue_once() {
    let data = temp_dir("translation-template");
    let text = template("de", &data);
    assert!(text.starts_with("\u{feff}id;fr;de\r\n"), "UTF-8 with BOM, `;`, as Excel opens it");
    let rows = rows(&text);
    let catalogue = Catalogue::embedded().unwrap();
    let texts = catalogue.translatable_texts(grille_competence::TranslationLanguage::De);
    assert_eq!(rows.len(), texts.len() + 1);
    for (row, text) in rows.iter().skip(1).zip(&texts) {
        assert_eq!((row[0].as_str(), row[1].as_str(), row[2].as_str()), (text.id.as_str(), text.french, ""));
    }
    for id in [
        "profile.title",
        "A.title",
        "A.criteria_subject",
        "A7.title",
        "A7.situation",
        "A7.k2",
        "E2.short_title",
    ] {
        assert!(rows.iter().any(|row| row[0] == id), "{id}");
    }
    let italian = template("it", &data);
    assert!(italian.starts_with("\u{feff}id;fr;it\r\n"));
    let wrong = grille(&["catalogue", "translation", "template", "--lang", "en"]);
    assert_eq!(wrong.code, 2, "clap refuses an unknown language: {}", wrong.stderr);
}

/// One malformed sheet: its name, how it is made from the filled rows,
/// the arguments, and what the error must say (each a line's start).
type Case = (&'static str, fn(Vec<Vec<String>>) -> Vec<u8>, &'static [&'static str], &'static [&'static str]);

fn text(rows: Vec<Vec<String>>) -> Vec<u8> {
    sheet(&rows).into_bytes()
}

#[test]
fn each_kind_of_malformed_sheet_is_refused_with_its_place_and_nothing_is_imported() {
    let data = temp_dir("translation-malformed");
    let base = filled(&template("de", &data));
    // The rows changed are at the end of the sheet, one line each.
    let cases: &[Case] = &[
        (
            "unknown id",
            |mut rows| {
                let last = rows.len() - 1;
                rows[last][0] = "E4.m9".to_owned();
                text(rows)
            },
            &[],
            &[":{last}:1: identifiant inconnu « E4.m9 »", ": aucune ligne pour « E4.m1 »"],
        ),
        (
            "missing id",
            |mut rows| {
                rows.remove(rows.len() - 2);
                text(rows)
            },
            &[],
            &[": aucune ligne pour « E4.a3 » : ajoutez-la, ou importez avec --partial"],
        ),
        (
            "empty text",
            |mut rows| {
                let last = rows.len() - 1;
                rows[last][2] = "  ".to_owned();
                text(rows)
            },
            &[],
            &[":{last}:3: texte vide pour « E4.m1 »"],
        ),
        (
            "wrong language column",
            |mut rows| {
                rows[0][2] = "it".to_owned();
                text(rows)
            },
            &[],
            &[":1:3: la colonne de traduction est en « it », mais la commande importe « de »"],
        ),
        (
            "duplicate id",
            |mut rows| {
                let again = rows[rows.len() - 1].clone();
                rows.push(again);
                text(rows)
            },
            &[],
            &[":{next}:1: identifiant « E4.m1 » déjà donné à la ligne {last}"],
        ),
        (
            "bad encoding: a NUL byte",
            |rows| {
                let mut bytes = text(rows);
                let at = bytes.len() - 2;
                bytes[at] = 0;
                bytes
            },
            &[],
            &[":{last}:", "caractère U+0000 à la ligne {last}"],
        ),
        (
            "bad encoding: an Excel workbook",
            |_| b"PK\x03\x04\x14\x00\x06\x00".to_vec(),
            &[],
            &[": Ce fichier est un classeur"],
        ),
        (
            "no language column",
            |rows| {
                let rows: Vec<Vec<String>> = rows.into_iter().map(|row| row[..2].to_vec()).collect();
                text(rows)
            },
            &[],
            &[":1: la colonne « de » de la traduction manque"],
        ),
        (
            "unknown column",
            |mut rows| {
                for row in &mut rows {
                    row.push("x".to_owned());
                }
                rows[0][3] = "remarque".to_owned();
                text(rows)
            },
            &[],
            &[":1:4: colonne inconnue « remarque »"],
        ),
        (
            "no header",
            |mut rows| {
                rows.remove(0);
                text(rows)
            },
            &[],
            &[":1: l'en-tête doit nommer les colonnes « id », « fr » et « de »"],
        ),
        ("empty file", |_| Vec::new(), &[], &[":1: l'en-tête doit nommer"]),
    ];
    // The last row's line (texts before it span several lines), and the
    // line of a row added after it.
    let lines = sheet(&base).matches('\n').count();
    let last = lines.to_string();
    let next = (lines + 1).to_string();
    for (name, make, extra, expected) in cases {
        let file = data.join(format!("{}.csv", name.replace([' ', ':'], "-")));
        std::fs::write(&file, make(base.clone())).unwrap();
        let mut args = vec!["--lang", "de"];
        args.extend_from_slice(extra);
        let run = import(&file, &data, &args);
        assert_eq!(run.code, 1, "{name}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("rien n'a été importé"), "{name}: {}", run.stderr);
        for expected in *expected {
            let expected = expected.replace("{last}", &last).replace("{next}", &next);
            let wanted = format!("{}{expected}", file.display());
            let wanted = if expected.starts_with(':') { wanted } else { expected.clone() };
            assert!(run.stderr.contains(&wanted), "{name}: {wanted:?} not in\n{}", run.stderr);
        }
        assert!(!run.stderr.contains("panicked"), "{name}");
        assert!(!data.join("catalogue").exists(), "{name}: nothing imported");
    }

    // The same refusal in German.
    let file = data.join("wrong-language-de.csv");
    let mut rows = base.clone();
    rows[0][2] = "it".to_owned();
    std::fs::write(&file, sheet(&rows)).unwrap();
    let run = grille_with_env(
        &[
            "catalogue",
            "translation",
            "import",
            file.to_str().unwrap(),
            "--lang",
            "de",
            "--data",
            data.to_str().unwrap(),
        ],
        &[("GRILLE_LANG", "de")],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nichts wurde importiert"), "{}", run.stderr);
    assert!(run.stderr.contains(":1:3: die Übersetzungsspalte ist «it»"), "{}", run.stderr);
}

#[test]
fn a_partial_import_lists_what_stays_french_and_a_second_one_completes_it() {
    let data = temp_dir("translation-partial");
    let mut rows = filled(&template("de", &data));
    let all = rows.len() - 1;
    // The board has the domains' titles only: every other cell empty.
    for row in rows.iter_mut().skip(1) {
        if !(row[0].len() == 7 && row[0].ends_with(".title")) {
            row[2].clear();
        }
    }
    let file = data.join("titles.csv");
    std::fs::write(&file, sheet(&rows)).unwrap();
    let refused = import(&file, &data, &["--lang", "de"]);
    assert_eq!(refused.code, 1, "empty cells need --partial");
    let run = import(&file, &data, &["--lang", "de", "--partial"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("5 texte(s) importé(s) en allemand"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("{} texte(s) restent en français", all - 5)), "{}", run.stdout);
    assert!(run.stdout.contains("\n  A7.k2\n"), "each text left is listed: {}", run.stdout);
    assert!(!run.stdout.contains("\n  A.title\n"));
    let saved = std::fs::read_to_string(data.join("catalogue/asp-bf-2017.de.json")).unwrap();
    assert!(saved.contains(r#""A.title": "Übersetzung von A.title (äöü)""#), "{saved}");

    // The template now carries what was imported; the rest, in
    // Windows-1252 as Excel saves it, completes the translation.
    let again = rows_of(&template("de", &data));
    assert_eq!(again[1..].iter().filter(|row| !row[2].is_empty()).count(), 5);
    let rest: Vec<Vec<String>> = filled(&template("de", &data))
        .into_iter()
        .enumerate()
        .filter(|(index, row)| *index == 0 || !(row[0].len() == 7 && row[0].ends_with(".title")))
        .map(|(_, row)| row)
        .collect();
    let rest = sheet(&rest);
    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&rest);
    assert!(!unmappable);
    let file = data.join("rest-windows-1252.csv");
    std::fs::write(&file, latin.as_ref()).unwrap();
    let run = import(&file, &data, &["--lang", "de"]);
    assert_eq!(run.code, 1, "a full import wants every row: {}", run.stderr);
    let run = import(&file, &data, &["--lang", "de", "--partial"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&format!("La traduction est complète ({all} textes)")), "{}", run.stdout);
    let saved = std::fs::read_to_string(data.join("catalogue/asp-bf-2017.de.json")).unwrap();
    assert!(saved.contains(r#""A7.k2": "Übersetzung von A7.k2 (äöü)""#), "read as Windows-1252: {saved}");
}

fn rows_of(sheet: &str) -> Vec<Vec<String>> {
    rows(sheet)
}

#[test]
fn template_fill_import_and_serve_shows_the_german_text_in_pages_api_and_exports() {
    let data = temp_dir("translation-round-trip").join("data");
    std::fs::create_dir_all(&data).unwrap();
    let mut rows = filled(&template("de", &data));
    let a7 = rows.iter().position(|row| row[0] == "A7.title").unwrap();
    rows[a7][2] = "Den Klienten am Arbeitsplatz unterstützen".to_owned();
    // One text left French on purpose: shown marked lang="fr".
    let k2 = rows.iter().position(|row| row[0] == "A7.k2").unwrap();
    rows[k2][2].clear();
    let file = data.join("de.csv");
    std::fs::write(&file, sheet(&rows)).unwrap();
    let run = import(&file, &data, &["--lang", "de", "--partial"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n  A7.k2\n"), "{}", run.stdout);

    // The CLI's exports read the data folder.
    let data_arg = data.to_str().unwrap();
    let run = grille(&["catalogue", "export", "--format", "case", "--lang", "de", "--data", data_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(r#""fullStatement": "Den Klienten am Arbeitsplatz unterstützen""#));
    let run = grille(&["catalogue", "export", "--format", "moodle", "--lang", "de", "--data", data_arg]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Parent ID number,ID number,Short name,Description,Description format,"));
    assert!(run.stdout.contains("A,A7,Den Klienten am Arbeitsplatz unterstützen,"), "{}", run.stdout);

    // `grille serve` lays the translation over the catalogue at start.
    let server = Server::start(&data, &[], &[]);
    let (status, body) = server.request("GET", "/api/catalogue/competences/A7", None);
    assert_eq!(status, 200);
    assert!(body.contains(r#""de":"Den Klienten am Arbeitsplatz unterstützen""#), "{body}");
    let (status, body) = server.request("GET", "/catalogue/A7?lang=de", None);
    assert_eq!(status, 200);
    assert!(body.contains("Den Klienten am Arbeitsplatz unterstützen"), "{body}");
    assert!(body.contains("Übersetzung von A7.k1 (äöü)"), "{body}");
    let french_k2 = Catalogue::embedded().unwrap().criterion("A7.k2").unwrap().1.text.fr.clone();
    let unescaped =
        body.replace("&#x2f;", "/").replace("&#x27;", "'").replace("&quot;", "\"").replace("&amp;", "&");
    assert!(
        unescaped.contains(&format!(r#"<span lang="fr">{french_k2}</span>"#)),
        "the French left is marked: {body}"
    );
    let (status, body) = server.request("GET", "/catalogue/A7?lang=fr", None);
    assert_eq!(status, 200);
    assert!(!body.contains("Den Klienten"), "French readers read French");
    let (status, body) = server.request("GET", "/api/catalogue/export/case.json?lang=de", None);
    assert_eq!(status, 200);
    assert!(body.contains(r#""fullStatement": "Den Klienten am Arbeitsplatz unterstützen""#), "{body}");
    let (code, log) = server.terminate();
    assert_eq!(code, 0, "{log}");

    // A translation file broken by hand stops the start with its reason.
    std::fs::write(data.join("catalogue/asp-bf-2017.de.json"), "{\"profile\": 1}").unwrap();
    let run = grille(&["serve", "--addr", "127.0.0.1:0", "--data", data_arg]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.contains("traduction du catalogue"), "{}", run.stderr);
    assert!(run.stderr.contains("asp-bf-2017.de.json"), "{}", run.stderr);
}

/// A translation file of the data folder broken by hand (JSON syntax, a
/// text the catalogue does not have) stops `grille catalogue` and
/// `grille serve` with the file, the place (line and column, or JSON
/// pointer) and the reason, in the run's language.
#[test]
fn a_broken_translation_file_is_named_with_its_place_in_the_runs_language() {
    let dir = temp_dir("broken-translation");
    let data = dir.as_path();
    let data_arg = data.to_str().unwrap();
    std::fs::create_dir_all(data.join("catalogue")).unwrap();
    let file = data.join("catalogue/asp-bf-2017.de.json");
    // (file content, command, language, texts expected on stderr)
    let cases: [(&str, &[&str], &str, &[&str]); 4] = [
        (
            "{\n  \"profile\": ",
            &["serve", "--addr", "127.0.0.1:0", "--data", data_arg],
            "de",
            &["Übersetzungsdatei des Katalogs unbrauchbar", "asp-bf-2017.de.json: ", "Zeile 2, Spalte"],
        ),
        (
            "{\n  \"profile\": ",
            &["serve", "--addr", "127.0.0.1:0", "--data", data_arg],
            "fr",
            &["traduction du catalogue inutilisable", "asp-bf-2017.de.json : ", "ligne 2, colonne"],
        ),
        (
            "{\"profile\": 1}",
            &["catalogue", "translation", "template", "--lang", "it", "--data", data_arg],
            "de",
            &["asp-bf-2017.de.json: /"],
        ),
        (
            "{\"profile\": 1}",
            &["catalogue", "translation", "template", "--lang", "it", "--data", data_arg],
            "it",
            &["asp-bf-2017.de.json: /"],
        ),
    ];
    for (content, args, language, expected) in cases {
        std::fs::write(&file, content).unwrap();
        let run = grille_with_env(args, &[("GRILLE_LANG", language)]);
        assert_ne!(run.code, 0, "{args:?} {language}: {}", run.stdout);
        for text in expected {
            assert!(run.stderr.contains(text), "{args:?} {language}: {text:?} not in {}", run.stderr);
        }
        if language != "fr" {
            assert!(!run.stderr.contains(" : "), "{args:?} {language}: French typography in {}", run.stderr);
        }
    }
}
