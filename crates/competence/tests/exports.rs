//! The Moodle and CASE exports read back: each export is parsed by a
//! small importer written here (what Moodle's `lpimportcsv` and a CASE
//! consumer read) into a tree of domains, competences and criteria, which
//! must be the catalogue's own tree and texts; the CASE package is also
//! validated against 1EdTech's CASE 1.1 `CFPackage` JSON Schema, committed
//! under `schemas/external/`.

use std::collections::BTreeMap;

use grille_competence::export::{self, ExportLabels, MOODLE_HEADER, MOODLE_SHORT_NAME};
use grille_competence::translation::{CatalogueTranslation, TranslationLanguage};
use grille_competence::{Catalogue, Category};
use serde_json::Value;

/// One catalogue node as an importer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    id: String,
    title: String,
    /// Domain: the subject of its criteria; competence: its work
    /// situation; criterion: empty.
    body: String,
    short_title: Option<String>,
    category: Option<Category>,
    children: Vec<Node>,
}

fn labels(language: &str) -> ExportLabels {
    let german = language == "de";
    let pick = |fr: &str, de: &str| if german { de.to_owned() } else { fr.to_owned() };
    ExportLabels {
        language: language.to_owned(),
        domain: (pick("Domaine", "Bereich"), pick("Un domaine", "Ein Bereich")),
        competence: (pick("Compétence", "Kompetenz"), pick("Une compétence", "Eine Kompetenz")),
        criterion: (pick("Critère", "Kriterium"), pick("Un critère", "Ein Kriterium")),
        categories: [
            pick("Réalisation", "Handlung"),
            pick("Connaissances", "Kenntnisse"),
            pick("Attitudes", "Haltungen"),
            pick("Métacognition", "Metakognition"),
        ],
        category_note: pick("Catégorie : {category}", "Kategorie: {category}"),
        version_note: pick("Version du {version}", "Fassung vom {version}"),
        scale: vec![pick("pas encore", "noch nicht"), pick("entièrement", "vollständig")],
        proficient_from: 2,
    }
}

/// The catalogue's own tree in `language`.
fn tree(catalogue: &Catalogue, language: &str) -> Vec<Node> {
    let text = |text: &grille_competence::LocalizedText| text.get(language).to_owned();
    catalogue
        .domains()
        .iter()
        .map(|domain| Node {
            id: domain.id.clone(),
            title: text(&domain.title),
            body: text(&domain.criteria_subject),
            short_title: None,
            category: None,
            children: domain
                .competences
                .iter()
                .map(|competence| Node {
                    id: competence.id.clone(),
                    title: text(&competence.title),
                    body: text(&competence.situation),
                    short_title: competence.short_title.as_ref().map(text),
                    category: None,
                    children: competence
                        .criteria
                        .iter()
                        .map(|criterion| Node {
                            id: criterion.id.clone(),
                            title: text(&criterion.text),
                            body: String::new(),
                            short_title: None,
                            category: Some(criterion.category),
                            children: Vec::new(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Builds the tree from (parent, node) pairs in file order.
fn assemble(parent: &str, flat: &[(String, Node)]) -> Vec<Node> {
    flat.iter()
        .filter(|(of, _)| of == parent)
        .map(|(_, node)| Node { children: assemble(&node.id, flat), ..node.clone() })
        .collect()
}

/// Reads a Moodle competency-framework CSV as `lpimportcsv` does: columns
/// by position, the framework row apart, the tree by parent ID number.
fn read_moodle(text: &str, labels: &ExportLabels) -> (Vec<String>, Vec<Node>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("header").iter().map(str::to_owned).collect();
    let mut frameworks = Vec::new();
    let mut flat = Vec::new();
    for record in reader.records() {
        let record = record.expect("a CSV record");
        assert_eq!(record.len(), 14, "{record:?}");
        let cell = |index: usize| record.get(index).unwrap_or_default().to_owned();
        assert_eq!(cell(4), "2", "plain-text descriptions");
        if cell(12) == "1" {
            frameworks.push(cell(1));
            let configuration: Value = serde_json::from_str(&cell(6)).expect("scale configuration JSON");
            assert!(configuration[0].is_object(), "the importer sets [0].scaleid");
            assert_eq!(cell(5).split(',').count(), labels.scale.len());
            assert_eq!(cell(13), "domain,competency,indicator");
            continue;
        }
        let (parent, id, short) = (cell(0), cell(1), cell(2));
        assert!(short.chars().count() <= MOODLE_SHORT_NAME, "{short}");
        let mut paragraphs: Vec<String> = cell(3).split("\n\n").map(str::to_owned).collect();
        let (title, body, category) = if id.contains('.') {
            // A criterion: its whole text, then the category note.
            let note = paragraphs.pop().expect("a category note");
            let category = Category::ALL
                .into_iter()
                .find(|category| labels.category_note_of(*category) == note)
                .expect("a known category note");
            (paragraphs.join("\n\n"), String::new(), Some(category))
        } else {
            // A cut short name: the whole title leads the description.
            let title = if short.ends_with('…') { paragraphs.remove(0) } else { short };
            (title, paragraphs.join("\n\n"), None)
        };
        flat.push((parent, Node { id, title, body, short_title: None, category, children: Vec::new() }));
    }
    assert_eq!(header, MOODLE_HEADER);
    (frameworks, assemble("", &flat))
}

/// Reads a CASE package: the items by identifier, the tree by `isChildOf`
/// associations in sequence order.
fn read_case(package: &Value, labels: &ExportLabels) -> Vec<Node> {
    let document = package["CFDocument"]["identifier"].as_str().expect("document identifier");
    let items: BTreeMap<&str, &Value> = package["CFItems"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| (item["identifier"].as_str().expect("identifier"), item))
        .collect();
    let mut children: BTreeMap<&str, Vec<(u64, &str)>> = BTreeMap::new();
    for association in package["CFAssociations"].as_array().expect("associations") {
        assert_eq!(association["associationType"], "isChildOf");
        let child = association["originNodeURI"]["identifier"].as_str().expect("origin");
        let parent = association["destinationNodeURI"]["identifier"].as_str().expect("destination");
        let sequence = association["sequenceNumber"].as_u64().expect("sequence");
        children.entry(parent).or_default().push((sequence, child));
    }
    fn build(
        parent: &str,
        items: &BTreeMap<&str, &Value>,
        children: &BTreeMap<&str, Vec<(u64, &str)>>,
        labels: &ExportLabels,
    ) -> Vec<Node> {
        let mut list = children.get(parent).cloned().unwrap_or_default();
        list.sort();
        list.into_iter()
            .map(|(_, identifier)| {
                let item = items[identifier];
                let text = |name: &str| item[name].as_str().map(str::to_owned);
                let kind = item["CFItemType"].as_str().expect("an item type");
                let body = if kind == labels.domain.0 {
                    item["extensions"]["criteriaSubject"].as_str().expect("criteria subject").to_owned()
                } else {
                    text("notes").unwrap_or_default()
                };
                let category =
                    item["conceptKeywords"][0].as_str().and_then(|label| labels.category_of(label));
                Node {
                    id: text("humanCodingScheme").expect("a code"),
                    title: text("fullStatement").expect("a statement"),
                    body,
                    short_title: text("abbreviatedStatement"),
                    category,
                    children: build(identifier, items, children, labels),
                }
            })
            .collect()
    }
    build(document, &items, &children, labels)
}

/// The Moodle tree carries no short titles.
fn without_short_titles(mut nodes: Vec<Node>) -> Vec<Node> {
    for node in &mut nodes {
        node.short_title = None;
        node.children = without_short_titles(std::mem::take(&mut node.children));
    }
    nodes
}

fn german_catalogue() -> Catalogue {
    let catalogue = Catalogue::embedded().expect("catalogue");
    let texts = catalogue
        .translatable_texts(TranslationLanguage::De)
        .into_iter()
        .enumerate()
        // Some long German titles, to cut for Moodle's short names.
        .map(|(index, text)| (text.id, format!("DE{index} {} {}", text.french, "ü".repeat(index % 7 * 12))))
        .collect();
    let profile = catalogue.profile();
    let translation = CatalogueTranslation {
        profile: profile.id.clone(),
        version: profile.version.clone(),
        language: TranslationLanguage::De,
        texts,
    };
    catalogue.translated(&translation).expect("a translation")
}

#[test]
fn the_moodle_csv_reads_back_as_the_same_tree_and_texts() {
    for (catalogue, language) in [
        (Catalogue::embedded().expect("catalogue"), "fr"),
        (german_catalogue(), "de"),
        (german_catalogue(), "fr"),
    ] {
        let labels = labels(language);
        let text = export::moodle_csv(&catalogue, &labels);
        assert_eq!(text, export::moodle_csv(&catalogue, &labels), "the same text every time");
        let (frameworks, read) = read_moodle(&text, &labels);
        assert_eq!(frameworks, [format!("asp-bf-2017-{language}")]);
        assert_eq!(read, without_short_titles(tree(&catalogue, language)), "{language}");
    }
}

#[test]
fn the_case_package_reads_back_as_the_same_tree_and_texts_with_stable_identifiers() {
    for (catalogue, language) in
        [(Catalogue::embedded().expect("catalogue"), "fr"), (german_catalogue(), "de")]
    {
        let labels = labels(language);
        let package = export::case_package(&catalogue, &labels);
        assert_eq!(package, export::case_package(&catalogue, &labels), "the same identifiers every time");
        let text = export::case_package_json(&catalogue, &labels);
        assert!(text.starts_with("{\n  \"CFDocument\": {"), "the document first");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), package, "the text is the package");
        assert_eq!(read_case(&package, &labels), tree(&catalogue, language), "{language}");
        let identifiers: std::collections::HashSet<&str> = package["CFItems"]
            .as_array()
            .unwrap()
            .iter()
            .chain(package["CFAssociations"].as_array().unwrap())
            .map(|object| object["identifier"].as_str().unwrap())
            .collect();
        let count = package["CFItems"].as_array().unwrap().len()
            + package["CFAssociations"].as_array().unwrap().len();
        assert_eq!(identifiers.len(), count, "every identifier unique");
    }
    // One language's identifiers are not the other's: both can live in
    // one CASE server.
    let french = export::case_package(&Catalogue::embedded().unwrap(), &labels("fr"));
    let german = export::case_package(&german_catalogue(), &labels("de"));
    assert_ne!(french["CFDocument"]["identifier"], german["CFDocument"]["identifier"]);
    let identifier = french["CFDocument"]["identifier"].as_str().unwrap();
    assert_eq!(identifier.len(), 36);
    assert_eq!(&identifier[14..15], "5", "a name-based (v5) UUID: {identifier}");
    assert_eq!(french["CFDocument"]["uri"], format!("urn:uuid:{identifier}"));
}

#[test]
fn the_case_package_passes_the_case_1_1_json_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("../../../schemas/external/case-v1p1-cfpackage.json"))
            .expect("schema");
    let validator =
        jsonschema::options().should_validate_formats(true).build(&schema).expect("a valid schema");
    for (catalogue, language) in
        [(Catalogue::embedded().expect("catalogue"), "fr"), (german_catalogue(), "de")]
    {
        let package = export::case_package(&catalogue, &labels(language));
        let errors: Vec<String> = validator
            .iter_errors(&package)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{language}: {errors:#?}");
    }
    // The schema is really applied: a package without its document's
    // title, or with an unknown member, is refused.
    let mut broken = export::case_package(&Catalogue::embedded().unwrap(), &labels("fr"));
    broken["CFDocument"].as_object_mut().unwrap().remove("title");
    broken["CFItems"][0]["colour"] = Value::from("blue");
    broken["CFAssociations"][0]["identifier"] = Value::from("not-a-uuid");
    assert_eq!(validator.iter_errors(&broken).count(), 3);
}
