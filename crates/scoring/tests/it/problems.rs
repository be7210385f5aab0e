//! Every code of a document problem, with arguments, and the French
//! sentence the problems carried before they were messages (as the old
//! `format!` strings of grille-competence and grille-scoring wrote them):
//! a problem's `message`, the CLI's French output and the API's French
//! texts must not change for their existing readers.

use std::collections::BTreeSet;

use grille_scoring::{Message, MessageCode as C};

fn m(code: C, args: &[(&str, &str)]) -> Message {
    args.iter().fold(Message::new(code), |message, (name, value)| message.with(name, *value))
}

fn cases() -> Vec<(Message, &'static str)> {
    vec![
        (m(C::Text, &[("text", "un texte déjà traduit")]), "un texte déjà traduit"),
        (
            m(C::JsonInvalid, &[("column", "17"), ("error", "EOF"), ("line", "3")]),
            "JSON invalide à la ligne 3, colonne 17 : EOF",
        ),
        (m(C::JsonEof, &[]), "le fichier se termine avant la fin du document"),
        (m(C::JsonSyntax, &[("error", "EOF")]), "erreur de syntaxe : EOF"),
        (m(C::DocumentNonconforming, &[("error", "EOF")]), "document non conforme : EOF"),
        (m(C::SchemaUnusable, &[("error", "EOF")]), "schéma interne inutilisable : EOF"),
        (m(C::SchemaUnusableBare, &[]), "schéma interne inutilisable"),
        (
            m(C::SerdeInvalidType, &[("expected", "un texte"), ("found", "un entier (5)")]),
            "type incorrect : un entier (5), attendu un texte",
        ),
        (
            m(C::SerdeInvalidValue, &[("expected", "un texte"), ("found", "un entier (5)")]),
            "valeur incorrecte : un entier (5), attendu un texte",
        ),
        (m(C::SerdeFoundValue, &[("kind", "table"), ("value", "\"4,5\"")]), "table (\"4,5\")"),
        (m(C::SerdeOneOf, &[("options", "official, mock")]), "l'une des valeurs official, mock"),
        (m(C::SerdeMissingField, &[("name", "number")]), "le champ obligatoire « number » manque"),
        (
            m(C::SerdeUnknownField, &[("expected", "un texte"), ("name", "number")]),
            "champ inconnu « number » ; champs admis : un texte",
        ),
        (
            m(C::SerdeUnknownVariant, &[("expected", "un texte"), ("name", "number")]),
            "valeur « number » non admise ; attendu un texte",
        ),
        (m(C::SerdeDuplicateField, &[("name", "number")]), "le champ « number » figure deux fois"),
        (m(C::SerdeEof, &[]), "le texte se termine avant la fin du document"),
        (m(C::SerdeExpectedValue, &[]), "une valeur JSON est attendue ici"),
        (m(C::SerdeTrailingCharacters, &[]), "du texte suit la fin du document"),
        (m(C::SerdeKeyMustBeString, &[]), "un nom de champ doit être un texte entre guillemets"),
        (m(C::SerdeExpectedCommaOrBrace, &[]), "une virgule ou « } » est attendue"),
        (m(C::SerdeExpectedCommaOrBracket, &[]), "une virgule ou « ] » est attendue"),
        (m(C::SerdeExpectedColon, &[]), "« : » est attendu après le nom du champ"),
        (m(C::SerdeOther, &[("message", "something new")]), "donnée incorrecte (something new)"),
        (m(C::JsonTypeNull, &[]), "null"),
        (m(C::JsonTypeBoolean, &[]), "un booléen"),
        (m(C::JsonTypeBooleanLiteral, &[]), "un booléen (true ou false)"),
        (m(C::JsonTypeInteger, &[]), "un entier"),
        (m(C::JsonTypeNumber, &[]), "un nombre"),
        (m(C::JsonTypeFloating, &[]), "un nombre décimal"),
        (m(C::JsonTypeString, &[]), "un texte"),
        (m(C::JsonTypeArray, &[]), "une liste"),
        (m(C::JsonTypeObject, &[]), "un objet"),
        (m(C::JsonTypeSessionObject, &[]), "un objet JSON (la session)"),
        (
            m(C::SchemaNotAllowed, &[("options", "official, mock"), ("value", "\"4,5\"")]),
            "valeur \"4,5\" non admise ; valeurs possibles : official, mock",
        ),
        (m(C::SchemaRequired, &[("property", "\"id\"")]), "le champ obligatoire \"id\" manque"),
        (m(C::SchemaAdditionalProperties, &[("names", "\"nmae\"")]), "champ inconnu : \"nmae\""),
        (
            m(C::SchemaType, &[("expected_types", "un texte"), ("found", "un entier (5)")]),
            "type incorrect : attendu un texte, trouvé un entier (5)",
        ),
        (m(C::SchemaMinLength, &[("limit", "1")]), "texte trop court : au moins 1 caractère(s) attendu(s)"),
        (m(C::SchemaMaxLength, &[("limit", "1")]), "texte trop long : au plus 1 caractères"),
        (m(C::SchemaMinItems, &[("limit", "1")]), "liste trop courte : au moins 1 élément(s)"),
        (m(C::SchemaMaxItems, &[("limit", "1")]), "liste trop longue : au plus 1 éléments"),
        (
            m(C::SchemaMinimum, &[("limit", "1"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" est inférieure au minimum 1",
        ),
        (
            m(C::SchemaMaximum, &[("limit", "1"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" dépasse le maximum 1",
        ),
        (
            m(C::SchemaExclusiveMinimum, &[("limit", "1"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" doit être strictement supérieure à 1",
        ),
        (
            m(C::SchemaExclusiveMaximum, &[("limit", "1"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" doit être strictement inférieure à 1",
        ),
        (
            m(C::SchemaDecimal, &[("fixed", "4.5"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" n'est pas un nombre décimal exact : écrivez 4.5",
        ),
        (
            m(C::SchemaDecimalExample, &[("value", "\"4,5\"")]),
            "la valeur \"4,5\" n'est pas un nombre décimal exact : écrivez par exemple \"4.5\" ou 20",
        ),
        (
            m(C::SchemaPattern, &[("pattern", "^[a-z]+$"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" ne suit pas le format attendu (^[a-z]+$)",
        ),
        (
            m(C::SchemaConst, &[("expected", "un texte"), ("value", "\"4,5\"")]),
            "la valeur doit être un texte, trouvé \"4,5\"",
        ),
        (
            m(C::SchemaNoForm, &[("value", "\"4,5\"")]),
            "la valeur \"4,5\" ne correspond à aucune des formes admises",
        ),
        (
            m(C::SchemaFormat, &[("format", "date"), ("value", "\"4,5\"")]),
            "la valeur \"4,5\" n'est pas au format date",
        ),
        (m(C::SchemaOther, &[("error", "EOF")]), "non conforme au schéma : EOF"),
        (
            m(C::CatalogueVersionNotDate, &[("version", "2024-13-01")]),
            "la version « 2024-13-01 » n'est pas une date AAAA-MM-JJ",
        ),
        (m(C::CatalogueDomainDuplicate, &[("domain", "A")]), "le domaine A est défini deux fois"),
        (m(C::CatalogueDomainEmpty, &[("domain", "A")]), "le domaine A n'a aucune compétence"),
        (
            m(C::CatalogueCompetenceDuplicate, &[("competence", "A2")]),
            "la compétence A2 est définie deux fois",
        ),
        (
            m(C::CatalogueCompetenceOutsideDomain, &[("competence", "A2"), ("domain", "A")]),
            "la compétence A2 n'appartient pas au domaine A : son identifiant doit commencer par A",
        ),
        (
            m(
                C::CatalogueCompetenceNumbering,
                &[("competence", "A2"), ("domain", "A"), ("expected", "un texte"), ("number", "2")],
            ),
            "numérotation interrompue : la compétence n° 2 du domaine A devrait s'appeler un texte, pas A2",
        ),
        (m(C::CatalogueCompetenceEmpty, &[("competence", "A2")]), "la compétence A2 n'a aucun critère"),
        (
            m(C::CatalogueCriterionOrder, &[("criterion", "A1.p1")]),
            "le critère A1.p1 est hors de l'ordre des catégories (réalisation, connaissances, attitudes, métacognition)",
        ),
        (
            m(
                C::CatalogueCriterionName,
                &[
                    ("category", "Potentiel de réalisation"),
                    ("competence", "A2"),
                    ("criterion", "A1.p1"),
                    ("expected", "un texte"),
                    ("position", "2"),
                ],
            ),
            "le critère A1.p1 devrait s'appeler un texte (compétence A2, catégorie « Potentiel de réalisation », position 2)",
        ),
        (
            m(C::CatalogueSeedTextEmpty, &[]),
            "le texte d'origine est vide : omettez le champ s'il n'y a pas de correction",
        ),
        (m(C::TextEmpty, &[]), "le texte est vide"),
        (m(C::CategoryPerformance, &[]), "Potentiel de réalisation"),
        (m(C::CategoryKnowledge, &[]), "Connaissances, compréhension"),
        (m(C::CategoryAttitudes, &[]), "Attitudes, valeurs, motivation"),
        (m(C::CategoryMetacognition, &[]), "Capacités métacognitives"),
        (m(C::Blank, &[("what", "le titre")]), "le titre est vide"),
        (
            m(C::OutOfRange, &[("max", "6"), ("min", "1"), ("value", "\"4,5\""), ("what", "le titre")]),
            "le titre vaut \"4,5\" : attendu entre 1 et 6",
        ),
        (
            m(C::UnquotedDecimal, &[("number", "2")]),
            "le nombre 2 doit être écrit entre guillemets (\"2\") pour rester exact : les nombres à virgule sans guillemets sont lus en virgule flottante binaire",
        ),
        (
            m(C::WeightRange, &[("max", "6"), ("weight", "0")]),
            "la pondération vaut 0 : attendu plus de 0 et au plus 6",
        ),
        (m(C::FieldCaseId, &[]), "l'identifiant du cas"),
        (m(C::FieldCaseVersion, &[]), "la version du cas"),
        (m(C::FieldCaseTitle, &[]), "le titre du cas"),
        (m(C::FieldSituation, &[]), "la situation"),
        (m(C::FieldTaskId, &[]), "l'identifiant de la tâche"),
        (m(C::FieldTaskPrompt, &[]), "l'énoncé de la tâche"),
        (m(C::FieldExaminerNote, &[]), "l'élément de réponse attendu"),
        (m(C::FieldFileName, &[]), "le nom du fichier"),
        (m(C::FieldPosition, &[]), "le point d'appréciation"),
        (m(C::FieldRubricId, &[]), "l'identifiant de la grille"),
        (m(C::FieldRubricVersion, &[]), "la version de la grille"),
        (m(C::FieldRubric, &[]), "la grille"),
        (m(C::FieldCriterion, &[]), "le critère"),
        (m(C::FieldReason, &[]), "la raison"),
        (m(C::FieldAuthor, &[]), "l'identifiant de l'auteur·e"),
        (m(C::FieldSchemeId, &[]), "l'identifiant du barème"),
        (m(C::FieldSchemeVersion, &[]), "la version du barème"),
        (m(C::FieldTitle, &[]), "le titre"),
        (m(C::FieldScaleMin, &[]), "la note minimale"),
        (m(C::FieldScaleMax, &[]), "la note maximale"),
        (m(C::FieldThresholdGrade, &[]), "la note du seuil"),
        (m(C::FieldMinOverall, &[]), "la note globale minimale"),
        (m(C::FieldMinPartGrade, &[]), "la note d'épreuve minimale"),
        (m(C::FieldMinPositionGrade, &[]), "la note minimale de point d'appréciation"),
        (m(C::FieldThreshold, &[]), "le seuil"),
        (m(C::FieldPartMinimum, &[]), "la note minimale de l'épreuve"),
        (m(C::FieldPositionMinimum, &[]), "la note minimale du point d'appréciation"),
        (m(C::FieldMaxShortfallSum, &[]), "la somme maximale des écarts"),
        (m(C::FieldPartRef, &[]), "l'identifiant d'épreuve"),
        (m(C::FieldPositionRef, &[]), "l'identifiant de point d'appréciation"),
        (m(C::FieldAssumption, &[]), "l'hypothèse"),
        (m(C::FieldCriterionId, &[]), "l'identifiant du critère"),
        (m(C::FieldCriterionTitle, &[]), "le titre du critère"),
        (m(C::FieldLevelDescriptor, &[]), "le descripteur du niveau"),
        (m(C::FieldSessionId, &[]), "l'identifiant de la session"),
        (m(C::FieldId, &[]), "l'identifiant"),
        (m(C::FieldVersion, &[]), "la version"),
        (m(C::FieldCandidateNumber, &[]), "le numéro de candidat·e"),
        (m(C::FieldExaminerId, &[]), "l'identifiant de l'expert·e"),
        (m(C::FieldArbiterId, &[]), "l'identifiant de l'expert·e arbitre"),
        (m(C::FieldBlueprintId, &[]), "l'identifiant du plan d'examen"),
        (m(C::FieldBlueprintVersion, &[]), "la version du plan d'examen"),
        (m(C::FieldPartId, &[]), "l'identifiant de l'épreuve"),
        (m(C::FieldPartTitle, &[]), "le titre de l'épreuve"),
        (m(C::FieldPositionId, &[]), "l'identifiant du point d'appréciation"),
        (m(C::FieldPositionTitle, &[]), "le titre du point d'appréciation"),
        (m(C::FieldTranslationBy, &[]), "l'auteur·e de la traduction"),
        (m(C::FieldTranslatedAssumption, &[]), "l'hypothèse traduite"),
        (m(C::FieldSourceId, &[]), "l'identifiant de l'original"),
        (m(C::FieldSourceVersion, &[]), "la version de l'original"),
        (
            m(C::CompetenceUnknown, &[("competence", "A2")]),
            "la compétence A2 n'existe pas dans le profil de qualification",
        ),
        (
            m(C::CompetenceSpelling, &[("competence", "A2"), ("expected", "un texte")]),
            "écrivez la compétence comme le profil : un texte (trouvé A2)",
        ),
        (m(C::CompetenceTwice, &[("competence", "A2")]), "la compétence A2 est nommée deux fois"),
        (
            m(C::CriterionUnknown, &[("criterion", "A1.p1")]),
            "le critère A1.p1 n'existe pas dans le profil de qualification",
        ),
        (m(C::CriterionTwice, &[("criterion", "A1.p1")]), "le critère A1.p1 est nommé deux fois"),
        (m(C::CriterionDuplicate, &[("criterion", "A1.p1")]), "le critère A1.p1 est défini deux fois"),
        (m(C::PositionTwice, &[("position", "2")]), "le point d'appréciation 2 est nommé deux fois"),
        (m(C::PartTwice, &[("part", "2")]), "l'épreuve 2 est nommée deux fois"),
        (
            m(C::PositionNotInNamedBlueprint, &[("blueprint", "plan-2024"), ("position", "2")]),
            "le point d'appréciation 2 n'existe pas dans le plan d'examen plan-2024",
        ),
        (
            m(C::PartNotInNamedBlueprint, &[("blueprint", "plan-2024"), ("part", "2")]),
            "l'épreuve 2 n'existe pas dans le plan d'examen plan-2024",
        ),
        (m(C::CaseYear, &[("year", "1999")]), "année 1999 : attendu entre 2000 et 2100"),
        (m(C::CaseNoTask, &[]), "le cas ne pose aucune tâche au·à la candidat·e"),
        (
            m(C::CaseTranslationLanguage, &[("code", "de"), ("language", "fr")]),
            "le cas est rédigé en « fr » : sa note de traduction porte sur cette langue, pas sur « de »",
        ),
        (m(C::CaseTaskDuplicate, &[("task", "t1")]), "la tâche t1 est définie deux fois"),
        (
            m(C::CaseFileNameCharacters, &[]),
            "le nom du fichier ne peut contenir ni « / », ni « \\ », ni caractère de contrôle",
        ),
        (
            m(C::CaseFileType, &[("media_type", "text/plain")]),
            "type de fichier text/plain : seuls les PDF, PNG et JPEG sont acceptés",
        ),
        (
            m(C::CaseFileHash, &[]),
            "attendu l'empreinte SHA-256 du fichier : 64 chiffres hexadécimaux en minuscules",
        ),
        (m(C::CaseFileTwice, &[]), "ce fichier est joint deux fois"),
        (
            m(C::CaseFileSize, &[("max", "6"), ("size", "0")]),
            "taille 0 octets : attendu entre 1 octet et 6 Mio",
        ),
        (
            m(C::CaseNoPosition, &[]),
            "le cas ne sert aucun point d'appréciation : nommez au moins une position du plan d'examen",
        ),
        (m(C::CaseCriterionLeftOutTwice, &[("criterion", "A1.p1")]), "le critère A1.p1 est écarté deux fois"),
        (m(C::CaseAuthorTwice, &[("author", "auteur1")]), "auteur1 est nommé·e deux fois"),
        (
            m(C::CaseRubricNotPinned, &[("rubric", "g1")]),
            "la grille g1 du cas n'est pas épinglée par la session",
        ),
        (
            m(C::CaseLeftOutUnknown, &[("criterion", "A1.p1"), ("position", "2"), ("rubric", "g1")]),
            "le critère A1.p1 n'existe pas dans la grille g1 (point d'appréciation 2)",
        ),
        (
            m(C::CaseLeavesAllOut, &[("rubric", "g1")]),
            "le cas écarte tous les critères de la grille g1 : plus rien à évaluer",
        ),
        (
            m(C::SchemePassMark, &[("max", "6"), ("min", "1"), ("pass_mark", "7")]),
            "la note suffisante (7) doit être supérieure à la note minimale (1) et au plus égale à la note maximale (6)",
        ),
        (
            m(C::SchemePassFraction, &[("value", "\"4,5\"")]),
            "la part des points donnant la note suffisante vaut \"4,5\" : elle doit être strictement entre 0 et 1 (par exemple \"0.55\" pour 55 %)",
        ),
        (
            m(C::SchemeTableMax, &[("max", "6"), ("value", "\"4,5\"")]),
            "le maximum de points du tableau vaut \"4,5\" : attendu plus de 0 et au plus 6",
        ),
        (m(C::SchemeTableEmpty, &[]), "le tableau de conversion est vide"),
        (
            m(C::SchemeFirstThreshold, &[("value", "\"4,5\"")]),
            "le premier seuil doit commencer à 0 point (trouvé \"4,5\") pour que tout total ait une note",
        ),
        (
            m(C::SchemeThresholdAboveMax, &[("max", "6"), ("threshold", "12")]),
            "le seuil 12 dépasse le maximum de points du tableau (6)",
        ),
        (
            m(C::SchemeThresholdsIncrease, &[("previous", "10"), ("threshold", "12")]),
            "les seuils doivent croître strictement : 12 suit 10",
        ),
        (
            m(C::SchemeGradesDecrease, &[("grade", "3.5"), ("previous", "10")]),
            "les notes du tableau ne peuvent pas baisser quand les points montent : 3.5 suit 10",
        ),
        (
            m(C::SchemeRoundingStep, &[("value", "\"4,5\"")]),
            "le pas d'arrondi vaut \"4,5\" : attendu plus de 0 et au plus 1 (0.5 pour les demi-notes, 0.1 pour un dixième)",
        ),
        (m(C::SchemeThresholdTwice, &[("threshold", "12")]), "le seuil 12 est nommé deux fois"),
        (
            m(C::SchemeNoCondition, &[]),
            "la règle de réussite n'a aucune condition : tout·e candidat·e réussirait",
        ),
        (
            m(C::SchemeDiscrepancyStep, &[("value", "\"4,5\"")]),
            "l'écart signalé vaut \"4,5\" : attendu plus de 0",
        ),
        (m(C::SchemeMaxAttempts, &[]), "le nombre de tentatives doit être au moins 1"),
        (
            m(C::SchemeConversionNotObject, &[]),
            "la conversion doit être un objet avec un champ kind, par exemple {\"kind\": \"linear\"} ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction, par exemple \"0.55\") ou table (champs max_points et thresholds)",
        ),
        (
            m(C::SchemeConversionKindMissing, &[]),
            "le champ kind manque ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction, par exemple \"0.55\") ou table (champs max_points et thresholds)",
        ),
        (
            m(C::SchemeConversionKindUnknown, &[("kind", "table")]),
            "forme de conversion table inconnue ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction, par exemple \"0.55\") ou table (champs max_points et thresholds)",
        ),
        (
            m(C::SchemeConversionField, &[("kind", "table"), ("problem", "le seuil est vide")]),
            "conversion table : le seuil est vide",
        ),
        (
            m(
                C::SchemeConversionFieldAllowed,
                &[
                    ("allowed", "kind, max_points, thresholds"),
                    ("kind", "table"),
                    ("problem", "le seuil est vide"),
                ],
            ),
            "conversion table : le seuil est vide ; champs admis : kind, max_points, thresholds",
        ),
        (m(C::RubricNoCriterion, &[]), "la grille n'a aucun critère"),
        (
            m(C::RubricPerformanceCriterionUnknown, &[("criterion", "A1.p1")]),
            "le critère de performance A1.p1 n'existe pas dans le profil de qualification",
        ),
        (
            m(C::RubricPerformanceCriterionTwice, &[("criterion", "A1.p1")]),
            "le critère de performance A1.p1 est nommé deux fois",
        ),
        (
            m(C::RubricTwoLevels, &[("criterion", "A1.p1")]),
            "le critère A1.p1 doit avoir au moins deux niveaux",
        ),
        (
            m(C::RubricLevelPoints, &[("max", "6"), ("points", "3")]),
            "le niveau vaut 3 point(s) : attendu entre 0 et 6",
        ),
        (
            m(C::RubricLevelsDistinct, &[("criterion", "A1.p1"), ("points", "3")]),
            "deux niveaux du critère A1.p1 valent 3 point(s) : les points doivent être distincts",
        ),
        (
            m(C::RubricTopLevelZero, &[("criterion", "A1.p1")]),
            "le niveau le plus haut du critère A1.p1 doit valoir plus de 0 point",
        ),
        (m(C::BlueprintNoPart, &[]), "l'examen n'a aucune épreuve"),
        (m(C::BlueprintPartDuplicate, &[("part", "2")]), "l'épreuve 2 est définie deux fois"),
        (m(C::BlueprintExaminers, &[("count", "1")]), "1 expert(s) par épreuve : attendu entre 1 et 10"),
        (
            m(C::BlueprintReconciliation, &[("count", "1"), ("mode", "mean"), ("part", "2")]),
            "le mode de conciliation « mean » demande au moins 2 expert·e·s par épreuve, l'épreuve 2 en prévoit 1",
        ),
        (m(C::BlueprintNoPosition, &[("part", "2")]), "l'épreuve 2 n'a aucun point d'appréciation"),
        (
            m(C::BlueprintPositionDuplicate, &[("position", "2")]),
            "le point d'appréciation 2 est défini deux fois (les identifiants doivent être uniques dans tout l'examen)",
        ),
        (
            m(C::TranslationNoAssumptions, &[]),
            "ce document n'a pas d'hypothèses à traduire (seuls le barème et le plan d'examen en ont)",
        ),
        (
            m(C::SessionRubricPinnedTwice, &[("rubric", "g1")]),
            "la grille g1 est épinglée deux fois : une session utilise une seule version de chaque grille",
        ),
        (
            m(C::SessionCasePinnedTwice, &[("case", "cas-1")]),
            "le cas cas-1 est épinglé deux fois : une session utilise une seule version de chaque cas",
        ),
        (m(C::CandidateFirstAttempt, &[]), "la première tentative porte le numéro 1"),
        (
            m(C::CandidateCarriedFirstAttempt, &[]),
            "des notes reportées ne sont possibles qu'à partir de la deuxième tentative (attempt ≥ 2)",
        ),
        (m(C::CandidatePartCarriedTwice, &[("part", "2")]), "l'épreuve 2 est reportée deux fois"),
        (m(C::CandidateTwoCases, &[("position", "2")]), "deux cas sont attribués au point d'appréciation 2"),
        (
            m(C::CandidatePositionTwice, &[("position", "2")]),
            "le point d'appréciation 2 est saisi deux fois pour ce·tte candidat·e",
        ),
        (
            m(C::CandidateExaminerTwice, &[("examiner", "exp1")]),
            "l'expert·e exp1 a deux évaluations pour ce point d'appréciation",
        ),
        (
            m(C::CandidateArbiterEvaluated, &[("examiner", "exp1")]),
            "l'expert·e exp1 ne peut pas arbitrer un point d'appréciation qu'il ou elle a évalué",
        ),
        (
            m(C::CandidateEvaluationsIgnored, &[]),
            "des évaluations sont saisies pour un·e candidat·e qui n'a pas passé l'examen (statut autre que present) : elles sont conservées mais ignorées pour la note",
        ),
        (m(C::CandidateNumberTwice, &[("number", "2")]), "le numéro de candidat·e 2 figure deux fois"),
        (
            m(C::InDocument, &[("document", "barème"), ("problem", "le seuil est vide")]),
            "barème : le seuil est vide",
        ),
        (m(C::DocumentSession, &[]), "session"),
        (m(C::DocumentScheme, &[]), "barème"),
        (m(C::DocumentBlueprint, &[]), "plan d'examen"),
        (m(C::DocumentRubric, &[("id", "g1")]), "grille g1"),
        (m(C::DocumentCase, &[("id", "g1")]), "cas g1"),
        (
            m(
                C::SessionPinnedMismatch,
                &[("id", "g1"), ("pinned", "g2"), ("pinned_version", "1"), ("version", "2024-13-01")],
            ),
            "le document épinglé est g2 version 1, mais le document fourni est g1 version 2024-13-01",
        ),
        (
            m(C::SessionRubricNotProvided, &[("rubric", "g1"), ("version", "2024-13-01")]),
            "la grille g1 version 2024-13-01 n'est pas fournie",
        ),
        (
            m(C::SessionBlueprintRubricNotPinned, &[("rubric", "g1")]),
            "la grille g1, utilisée par le plan d'examen, n'est pas épinglée (id et version)",
        ),
        (
            m(C::SessionCaseNotProvided, &[("case", "cas-1"), ("version", "2024-13-01")]),
            "le cas cas-1 version 2024-13-01 n'est pas fourni",
        ),
        (
            m(C::SessionCaseRubricNotPinned, &[("case", "cas-1"), ("rubric", "g1")]),
            "la grille g1, utilisée par le cas cas-1, n'est pas épinglée (id et version)",
        ),
        (
            m(C::SessionAttemptsExceeded, &[("attempt", "4"), ("max", "6")]),
            "tentative n° 4 alors que le barème en admet 6",
        ),
        (m(C::SessionPartNotInBlueprint, &[("part", "2")]), "l'épreuve 2 n'existe pas dans le plan d'examen"),
        (
            m(C::SessionPositionNotInBlueprint, &[("position", "2")]),
            "le point d'appréciation 2 n'existe pas dans le plan d'examen",
        ),
        (
            m(C::SessionCarriedGradeRange, &[("grade", "3.5"), ("max", "6"), ("pass", "4")]),
            "seule une épreuve réussie est reportée ; la note 3.5 doit être entre 4 et 6",
        ),
        (
            m(C::SessionCarriedGradeStep, &[("grade", "3.5"), ("step", "0.5")]),
            "la note reportée 3.5 n'est pas arrondie au pas des notes d'épreuve du barème (0.5) : une note d'épreuve en est toujours un multiple",
        ),
        (
            m(C::SessionCarriedPartEvaluated, &[("part", "2")]),
            "l'épreuve 2 est reportée d'une tentative précédente et ne peut pas être évaluée à nouveau",
        ),
        (
            m(C::SessionCaseNotPinned, &[("case", "cas-1")]),
            "le cas cas-1 n'est pas épinglé par la session (cases)",
        ),
        (
            m(C::SessionCaseDoesNotServe, &[("case", "cas-1"), ("position", "2"), ("positions", "1.1, 1.2")]),
            "le cas cas-1 ne sert pas le point d'appréciation 2 (il sert : 1.1, 1.2)",
        ),
        (
            m(
                C::SessionAnswerUnknownCriterion,
                &[("criteria", "c1, c2"), ("criterion", "A1.p1"), ("rubric", "g1")],
            ),
            "le critère A1.p1 n'existe pas dans la grille g1 (critères : c1, c2)",
        ),
        (
            m(C::SessionAnswerDuplicate, &[("criterion", "A1.p1")]),
            "le critère A1.p1 a deux réponses dans la même évaluation",
        ),
        (
            m(C::SessionAnswerPointsOnLeftOut, &[("criterion", "A1.p1")]),
            "le cas de ce point d'appréciation écarte le critère A1.p1 (non évaluable par conception) : ne donnez pas de points",
        ),
        (
            m(C::SessionAnswerPointsAndNotAssessable, &[("criterion", "A1.p1")]),
            "le critère A1.p1 a à la fois des points et « non évaluable »",
        ),
        (
            m(C::SessionAnswerNotAssessableRefused, &[("criterion", "A1.p1")]),
            "la grille n'admet pas « non évaluable » pour le critère A1.p1",
        ),
        (
            m(C::SessionAnswerNoSuchLevel, &[("criterion", "A1.p1"), ("levels", "0, 1, 2"), ("points", "3")]),
            "3 point(s) ne correspond à aucun niveau du critère A1.p1 (niveaux : 0, 1, 2)",
        ),
        (m(C::SessionAnswerUnanswered, &[("criterion", "A1.p1")]), "le critère A1.p1 n'a pas de réponse"),
        // The API's own checks (CSV uploads, dates, request bodies, the
        // examiner's form): the sentences the API wrote before they had codes.
        (m(C::CsvHeaderUnreadable, &[]), "En-tête illisible (guillemets ?)."),
        (
            m(C::CsvDuplicateColumn, &[("column", "<column>")]),
            "La colonne « <column> » figure deux fois (même sens qu'une colonne précédente).",
        ),
        (
            m(C::CsvUnknownColumn, &[("column", "<column>"), ("delimiter", "<delimiter>")]),
            "Colonne inconnue « <column> » (séparateur lu : <delimiter>).",
        ),
        (
            m(
                C::CsvUnknownColumnExpected,
                &[("column", "<column>"), ("columns", "<columns>"), ("delimiter", "<delimiter>")],
            ),
            "Colonne inconnue « <column> » (séparateur lu : <delimiter>). Colonnes attendues : <columns>.",
        ),
        (m(C::CsvExpectedColumn, &[("aliases", "<aliases>"), ("name", "<name>")]), "« <name> » (<aliases>)"),
        (
            m(C::CsvExpectedColumnOptional, &[("aliases", "<aliases>"), ("name", "<name>")]),
            "« <name> » (<aliases>, facultative)",
        ),
        (
            m(
                C::CsvMissingColumn,
                &[("aliases", "<aliases>"), ("delimiter", "<delimiter>"), ("name", "<name>")],
            ),
            "Colonne obligatoire « <name> » absente (séparateur lu : <delimiter>) ; noms admis : <aliases>.",
        ),
        (m(C::CsvLineUnreadable, &[]), "Ligne illisible (guillemets ?)."),
        (
            m(
                C::CsvValueCount,
                &[("count", "<count>"), ("delimiter", "<delimiter>"), ("expected", "<expected>")],
            ),
            "<count> valeur(s) au lieu de <expected> (séparateur lu : <delimiter>).",
        ),
        (m(C::CsvDelimiterSemicolon, &[]), "point-virgule « ; »"),
        (m(C::CsvDelimiterComma, &[]), "virgule « , »"),
        (m(C::CsvDelimiterTab, &[]), "tabulation"),
        (m(C::CsvColumnNumber, &[]), "numéro"),
        (m(C::CsvColumnFamilyName, &[]), "nom"),
        (m(C::CsvColumnGivenName, &[]), "prénom"),
        (m(C::CsvColumnGivenNames, &[]), "prénoms"),
        (m(C::CsvColumnEmail, &[]), "courriel"),
        (m(C::CsvColumnPart, &[]), "épreuve"),
        (m(C::CsvColumnExaminer, &[]), "expert·e"),
        (m(C::CsvColumnExaminer1, &[]), "expert·e 1"),
        (m(C::CsvColumnExaminer2, &[]), "expert·e 2"),
        (m(C::CsvColumnPosition, &[]), "point d'appréciation"),
        (m(C::CsvColumnCase, &[]), "cas"),
        (m(C::CsvColumnVersion, &[]), "version"),
        (m(C::CsvColumnUsername, &[]), "nom d'utilisateur"),
        (m(C::CsvColumnRole, &[]), "rôle"),
        (m(C::CsvColumnCandidateNumber, &[]), "numéro de candidat·e"),
        (m(C::CsvColumnSchool, &[]), "école"),
        (m(C::CsvColumnDateOfBirth, &[]), "date de naissance"),
        (m(C::CsvColumnPlaceOfOrigin, &[]), "lieu d'origine"),
        (m(C::CsvColumnAddress, &[]), "adresse"),
        (m(C::CsvColumnExamLanguage, &[]), "langue d'examen"),
        (m(C::CsvColumnCanton, &[]), "canton de domicile"),
        (m(C::CsvColumnItem, &[]), "élément"),
        (m(C::CsvNoCandidate, &[]), "Le fichier ne contient aucun·e candidat·e."),
        (m(C::CsvNoAccount, &[]), "Le fichier ne contient aucun compte."),
        (m(C::CsvNoAssignment, &[]), "Le fichier ne contient aucune attribution."),
        (
            m(C::DateForm, &[("text", "<text>")]),
            "« <text> » n'est pas une date : écrivez-la jj.mm.aaaa (31.12.2027) ou aaaa-mm-jj (2027-12-31).",
        ),
        (m(C::DateNoSuchDay, &[("text", "<text>")]), "« <text> » : ce jour n'existe pas."),
        (
            m(C::DateOutOfRange, &[("text", "<text>")]),
            "« <text> » : l'année doit être comprise entre 1900 et 2200.",
        ),
        (m(C::DateOfBirthNotPast, &[("text", "<text>")]), "« <text> » : une date de naissance est passée."),
        (m(C::FieldRequired, &[]), "Ce champ est obligatoire."),
        (m(C::TextTooLong, &[("max", "<max>")]), "Au plus <max> caractères."),
        (m(C::ControlCharacter, &[]), "Caractère de contrôle non admis."),
        (m(C::NameRequired, &[]), "Obligatoire, 200 caractères au plus."),
        (m(C::EmailInvalid, &[]), "Adresse électronique invalide."),
        (m(C::AddressTooLong, &[("max", "<max>")]), "L'adresse compte au plus <max> lignes."),
        (
            m(C::CantonUnknown, &[("code", "<code>")]),
            "« <code> » n'est pas un canton : abréviation officielle à deux lettres (BE, ZH, VD…).",
        ),
        (
            m(C::ExamLanguageUnknown, &[("language", "<language>")]),
            "« <language> » n'est pas une langue d'examen : fr, de ou it.",
        ),
        (
            m(C::CandidateNumberForm, &[]),
            "Numéro de candidat·e invalide : 1 à 32 lettres, chiffres ou « - ».",
        ),
        (m(C::CandidateNumberRepeated, &[("number", "<number>")]), "Le numéro <number> figure deux fois."),
        (
            m(C::CandidateNumberEnrolled, &[("number", "<number>")]),
            "Le numéro <number> est déjà inscrit à cette session.",
        ),
        (
            m(C::CandidateNumberNotInRegister, &[("number", "<number>")]),
            "Le numéro <number> n'est inscrit à aucune session de la commission.",
        ),
        (
            m(C::AccountUsernameInvalid, &[("username", "<username>")]),
            "Nom d'utilisateur « <username> » invalide : 3 à 64 caractères, lettres minuscules, chiffres, « . », « _ » ou « - ».",
        ),
        (
            m(C::AccountUsernameRepeated, &[("line", "<line>"), ("username", "<username>")]),
            "Le nom d'utilisateur « <username> » figure déjà à la ligne <line>.",
        ),
        (
            m(C::AccountUsernameExists, &[("username", "<username>")]),
            "Le nom d'utilisateur « <username> » existe déjà.",
        ),
        (m(C::AccountBoardOneByOne, &[]), "Les comptes de la commission se créent un à un, pas par fichier."),
        (
            m(C::AccountRoleUnknown, &[("role", "<role>")]),
            "Rôle inconnu « <role> » : expert·e, formateur·trice ou candidat·e.",
        ),
        (m(C::AccountSchoolUnknown, &[("school", "<school>")]), "École inconnue « <school> »."),
        (m(C::AccountTrainerNeedsSchool, &[]), "Un·e formateur·trice est rattaché·e à une école."),
        (
            m(C::AccountSchoolNotAllowed, &[]),
            "Seuls les formateur·trice·s et les candidat·e·s sont rattaché·e·s à une école.",
        ),
        (
            m(C::AccountNumberNotCandidate, &[]),
            "Seul un compte de candidat·e est lié à un numéro de candidat·e.",
        ),
        (
            m(C::AccountNumberInvalid, &[("number", "<number>")]),
            "Numéro de candidat·e invalide « <number> ».",
        ),
        (
            m(C::AccountNumberRepeated, &[("line", "<line>"), ("number", "<number>")]),
            "Le numéro « <number> » figure déjà à la ligne <line>.",
        ),
        (
            m(C::AccountNumberUnknown, &[("number", "<number>")]),
            "Numéro de candidat·e inconnu « <number> » dans ce registre.",
        ),
        (
            m(C::AccountNumberLinked, &[("number", "<number>")]),
            "Le numéro « <number> » est déjà lié à un autre compte.",
        ),
        (
            m(C::AccountTooMany, &[("count", "<count>"), ("max", "<max>")]),
            "<count> comptes : au plus <max> par fichier ; partagez le fichier.",
        ),
        (m(C::AssignmentNumberInvalid, &[]), "Numéro de candidat·e invalide."),
        (m(C::AssignmentPartInvalid, &[]), "Épreuve invalide : 1 à 16 lettres, chiffres ou points."),
        (
            m(C::AssignmentPartUnknown, &[("parts", "<parts>")]),
            "Épreuve inconnue du plan d'examen ; épreuves : <parts>.",
        ),
        (m(C::AssignmentUserUnknown, &[]), "Utilisateur inconnu."),
        (m(C::AssignmentNotExaminer, &[]), "Cet utilisateur n'a pas le rôle d'expert·e."),
        (
            m(C::AssignmentNotSchoolTrainer, &[]),
            "Un examen blanc est évalué par les formateur·trice·s de son école : cet utilisateur n'en est pas.",
        ),
        (m(C::AssignmentNotEnrolled, &[]), "Ce numéro n'est pas inscrit à cette session."),
        (
            m(
                C::AssignmentConflict,
                &[("examiner", "<examiner>"), ("number", "<number>"), ("reason", "<reason>")],
            ),
            "Conflit d'intérêts déclaré : <examiner> <reason> (<number>) ; attribuez un·e autre expert·e.",
        ),
        (m(C::ConflictReasonTrained, &[]), "a formé la personne"),
        (m(C::ConflictReasonEmploys, &[]), "emploie la personne"),
        (m(C::ConflictReasonOther, &[]), "a un autre lien avec la personne"),
        (
            m(C::AssignmentNoExaminerColumn, &[]),
            "Aucune colonne d'expert·e : ajoutez « expert·e » (une ligne par expert·e) ou « expert·e 1 » et « expert·e 2 » ; noms admis : expert·e, expert, experte, examiner, Experte, Expertin.",
        ),
        (m(C::AssignmentNoExaminer, &[]), "Aucun·e expert·e sur cette ligne."),
        (m(C::AssignmentRepeatsLine, &[("line", "<line>")]), "Cette ligne répète la ligne <line>."),
        (m(C::BodyMissingField, &[("name", "<name>")]), "Le champ obligatoire « <name> » manque."),
        (m(C::BodyUnknownField, &[("name", "<name>")]), "Champ inconnu « <name> »."),
        (
            m(C::BodyUnknownFieldAdmitted, &[("admitted", "<admitted>"), ("name", "<name>")]),
            "Champ inconnu « <name> » ; champs admis : <admitted>.",
        ),
        (
            m(C::BodyValueNotAdmitted, &[("allowed", "<allowed>"), ("found", "<found>")]),
            "Valeur <found> non admise ; valeurs possibles : <allowed>.",
        ),
        (
            m(C::AssignmentExaminerTwice, &[("name", "<name>")]),
            "<name> figure deux fois pour ce·tte candidat·e et cette épreuve.",
        ),
        (
            m(C::AssignmentAlreadyOnLine, &[("line", "<line>"), ("name", "<name>")]),
            "<name> est déjà attribué·e à ce·tte candidat·e pour cette épreuve à la ligne <line>.",
        ),
        (
            m(C::AssignmentAlreadySaved, &[("name", "<name>")]),
            "<name> est déjà attribué·e à ce·tte candidat·e pour cette épreuve (attribution enregistrée).",
        ),
        (
            m(C::ExamUnknownCriterion, &[("criterion", "<criterion>"), ("rubric", "<rubric>")]),
            "La grille <rubric> n'a pas de critère « <criterion> ».",
        ),
        (m(C::ExamDuplicate, &[("criterion", "<criterion>")]), "Le critère <criterion> a deux réponses."),
        (
            m(C::ExamPointsOnLeftOut, &[("criterion", "<criterion>")]),
            "Le cas de ce·tte candidat·e écarte le critère <criterion> (non évaluable par conception) : pas de points.",
        ),
        (m(C::ExamPointsAndNotAssessable, &[]), "Des points ou « non évaluable », pas les deux."),
        (
            m(C::ExamNotAssessableRefused, &[("criterion", "<criterion>")]),
            "Le critère <criterion> ne peut pas être marqué non évaluable.",
        ),
        (
            m(
                C::ExamNoSuchLevel,
                &[("criterion", "<criterion>"), ("levels", "<levels>"), ("points", "<points>")],
            ),
            "Aucun niveau du critère <criterion> ne vaut <points> point(s) ; niveaux : <levels>.",
        ),
        (m(C::ExamUnanswered, &[("criterion", "<criterion>")]), "Le critère <criterion> n'a pas de réponse."),
        (m(C::ExamPointsUnreadable, &[]), "Points attendus sous forme de texte (\"2.5\") ou d'entier."),
        (m(C::ExamRemarkTooLong, &[("max", "<max>")]), "<max> caractères au plus."),
        (m(C::AppealDecidedNeedsDate, &[]), "Un recours tranché ou retiré a sa date de décision."),
        (
            m(C::AppealOpenHasNoDecision, &[]),
            "Un recours reçu ou en examen n'a pas encore de date de décision.",
        ),
        (m(C::AppealDecisionBeforeReceipt, &[]), "La décision ne précède pas la réception du recours."),
        (m(C::AppealConsultationWithoutRequest, &[]), "La consultation suit une demande : sa date d'abord."),
        (m(C::AppealConsultationBeforeRequest, &[]), "La consultation ne précède pas la demande."),
        (
            m(C::AppealCorrectionUnknown, &[("id", "<id>"), ("number", "<number>")]),
            "La correction proposée n° <id> n'est pas une correction de <number> dans cette session.",
        ),
        (m(C::AppealSameCandidate, &[]), "Le recours reste celui du ou de la même candidat·e."),
        (
            m(C::IdentitySignatoriesTooMany, &[("count", "<count>"), ("max", "<max>")]),
            "Au plus <max> signataires (<count> reçu·e·s).",
        ),
        (m(C::IdentityPostalDays, &[]), "De 0 à 14 jours."),
        (m(C::IdentitySittingsTooMany, &[("max", "<max>")]), "Au plus <max> dates d'examen."),
        (m(C::FileEmpty, &[]), "Le fichier est vide."),
        (m(C::LogoTooLarge, &[("max", "<max>")]), "Le logo dépasse <max> Kio."),
        (
            m(C::LogoNotImage, &[]),
            "Ce fichier n'est pas une image PNG, JPEG ou SVG (le type est reconnu au contenu, pas au nom).",
        ),
        (
            m(C::LogoSvgActive, &[]),
            "Ce SVG contient des scripts, des gestionnaires d'événements ou des références externes : enregistrez-le comme image simple (ou en PNG).",
        ),
        (
            m(C::SittingCaseNotInBank, &[]),
            "Ce cas n'est pas dans la banque de l'organisateur de la session : copiez-le d'abord dans votre banque.",
        ),
        (
            m(
                C::SittingCaseDoesNotServe,
                &[("case", "<case>"), ("position", "<position>"), ("positions", "<positions>")],
            ),
            "Le cas <case> ne sert pas le point d'appréciation <position> (il sert : <positions>).",
        ),
        (m(C::SittingCaseUnknown, &[]), "Cas introuvable dans la banque."),
        (m(C::SittingCaseRowUnknown, &[("id", "<id>")]), "Cas <id> introuvable."),
        (
            m(C::SittingEvaluated, &[]),
            "Ce point d'appréciation est déjà évalué pour ce·tte candidat·e : son cas ne change plus.",
        ),
        (
            m(C::SittingOtherVersion, &[]),
            "La session utilise déjà une autre version de ce cas : une session n'utilise qu'une version de chaque cas.",
        ),
        (
            m(C::SittingPositionUnknown, &[("position", "<position>")]),
            "Le point d'appréciation <position> n'existe pas dans le plan d'examen.",
        ),
        (m(C::SittingNoCase, &[]), "Choisissez au moins un cas."),
        (
            m(C::SittingPositionEvaluated, &[("number", "<number>"), ("position", "<position>")]),
            "Le point d'appréciation <position> est déjà évalué pour <number> : son cas ne change plus.",
        ),
        (
            m(C::SittingCaseNotInOrganiserBank, &[("case", "<case>")]),
            "Le cas « <case> » n'est pas dans la banque de l'organisateur de la session.",
        ),
        (
            m(
                C::SittingNoSuchVersion,
                &[("case", "<case>"), ("version", "<version>"), ("versions", "<versions>")],
            ),
            "Le cas <case> n'a pas de version « <version> » (versions : <versions>).",
        ),
        (
            m(C::SittingNoReadyVersion, &[("case", "<case>"), ("versions", "<versions>")]),
            "Le cas <case> n'a aucune version prête (versions : <versions>) : passez-en une à « prêt » dans la banque.",
        ),
        (
            m(C::SittingSeveralVersions, &[("case", "<case>"), ("versions", "<versions>")]),
            "Le cas <case> a plusieurs versions prêtes ou utilisées (<versions>) : indiquez-la dans la colonne « version ».",
        ),
        (
            m(C::SittingCandidateNotSitting, &[("number", "<number>")]),
            "<number> ne passe pas l'examen (retrait ou exclusion).",
        ),
        (
            m(C::SittingCandidateNotEnrolled, &[("number", "<number>")]),
            "<number> n'est pas inscrit·e à cette session.",
        ),
        (
            m(C::SittingNumberInvalid, &[("number", "<number>")]),
            "« <number> » n'est pas un numéro de candidat·e.",
        ),
        (
            m(C::SittingPositionUnknownListed, &[("position", "<position>"), ("positions", "<positions>")]),
            "Le point d'appréciation « <position> » n'existe pas dans le plan d'examen (points : <positions>).",
        ),
        (
            m(
                C::SittingLineRepeats,
                &[("line", "<line>"), ("number", "<number>"), ("position", "<position>")],
            ),
            "La ligne <line> donne déjà un cas à <number> pour le point d'appréciation <position>.",
        ),
        (
            m(C::SittingLineOtherVersion, &[("line", "<line>")]),
            "La ligne <line> donne une autre version de ce cas : une session n'utilise qu'une version de chaque cas.",
        ),
        (
            m(C::SittingSessionOtherVersion, &[("case", "<case>")]),
            "La session utilise déjà une autre version du cas <case> : une session n'utilise qu'une version de chaque cas.",
        ),
        (m(C::SittingNoRow, &[]), "Le fichier ne donne aucun cas."),
        (
            m(C::SessionDocumentNotInBank, &[]),
            "Ce document n'est pas dans votre banque (ou n'est pas de ce type).",
        ),
        (
            m(C::SessionDocumentDraft, &[("id", "<id>"), ("version", "<version>")]),
            "<id> version <version> est un brouillon : marquez-le « prêt » d'abord.",
        ),
        (
            m(C::SessionRubricIdMismatch, &[("found", "<found>"), ("id", "<id>")]),
            "La grille porte l'identifiant « <found> » mais est donnée sous « <id> ».",
        ),
        (
            m(C::SessionRubricMissing, &[("id", "<id>")]),
            "La grille « <id> » utilisée par le plan d'examen n'est ni fournie ni livrée avec grille.",
        ),
        (m(C::SessionTrainerNoSchool, &[]), "Votre compte de formateur·trice n'est rattaché à aucune école."),
        (
            m(C::SessionOfficialBoardOnly, &[]),
            "Seule la commission d'examen crée des sessions officielles ; créez un examen blanc.",
        ),
        (
            m(C::SessionMockByTrainer, &[]),
            "Un examen blanc est créé par un·e formateur·trice de l'école qui le conduit.",
        ),
        (m(C::SessionNameLength, &[]), "Le nom doit compter de 1 à 200 caractères."),
        (m(C::SessionExamDateForm, &[]), "Date attendue au format AAAA-MM-JJ."),
        (
            m(C::SessionCatalogueUnknown, &[("id", "<id>")]),
            "Catalogue inconnu ; seul « <id> » est disponible.",
        ),
        (m(C::EnrolNoCandidate, &[]), "Au moins un·e candidat·e."),
        (
            m(C::PanelPartUnknownListed, &[("part", "<part>"), ("parts", "<parts>")]),
            "L'épreuve « <part> » n'est pas une épreuve du plan d'examen (épreuves : <parts>).",
        ),
        (
            m(C::PanelPartUnknown, &[("part", "<part>")]),
            "L'épreuve « <part> » n'est pas une épreuve du plan d'examen.",
        ),
        (m(C::PanelEmpty, &[]), "Le panel compte au moins un membre."),
        (m(C::PanelNameForm, &[]), "Un nom de 1 à 100 caractères, sans caractère de contrôle."),
        (m(C::PanelNameTwice, &[("name", "<name>")]), "« <name> » figure deux fois dans le panel."),
        (
            m(C::PanelItemNotPosition, &[("item", "<item>")]),
            "« <item> » n'est pas un point d'appréciation du plan d'examen de la session dans ce périmètre.",
        ),
        (
            m(C::PanelItemNotCriterion, &[("item", "<item>")]),
            "« <item> » n'est pas un critère (point:critère) du plan d'examen de la session dans ce périmètre.",
        ),
        (
            m(C::PanelEstimateMissingEach, &[("item", "<item>")]),
            "Estimation manquante pour « <item> » : chaque membre estime chaque élément.",
        ),
        (m(C::PanelNotNumber, &[("text", "<text>")]), "« <text> » n'est pas un nombre (p. ex. 12.5)."),
        (m(C::PanelNegative, &[("text", "<text>")]), "<text> : une estimation n'est pas négative."),
        (
            m(C::PanelAboveMax, &[("item", "<item>"), ("max", "<max>"), ("text", "<text>")]),
            "<text> points dépassent le maximum de « <item> » (<max>).",
        ),
        (
            m(C::PanelProbability, &[("text", "<text>")]),
            "<text> : une probabilité est comprise entre 0 et 1.",
        ),
        (
            m(C::PanelRangePoints, &[("max", "<max>"), ("text", "<text>")]),
            "<text> : entre 0 et <max> points.",
        ),
        (m(C::PanelRangePercent, &[("max", "<max>"), ("text", "<text>")]), "<text> : entre 0 et <max> %."),
        (m(C::PanelRangeNotNumber, &[("text", "<text>")]), "« <text> » n'est pas un nombre."),
        (m(C::PanelCutOrder, &[]), "Le seuil le plus haut n'est pas sous le plus bas."),
        (m(C::PanelFailOrder, &[]), "Le taux d'échec le plus haut n'est pas sous le plus bas."),
        (m(C::PanelHeaderUnreadable, &[("error", "<error>")]), "En-tête illisible : <error>."),
        (
            m(C::PanelFileEmpty, &[]),
            "Le fichier est vide : une ligne d'en-tête (élément ; noms du panel) est attendue.",
        ),
        (
            m(C::PanelNoMemberColumn, &[]),
            "Au moins une colonne de membre du panel après la colonne des éléments.",
        ),
        (m(C::PanelMemberNameMissing, &[]), "Le nom de ce membre du panel manque."),
        (m(C::PanelLineUnreadable, &[("error", "<error>")]), "Ligne illisible : <error>."),
        (
            m(C::PanelCellCount, &[("count", "<count>"), ("expected", "<expected>")]),
            "<count> cellules au lieu de <expected> (l'élément et une par membre du panel).",
        ),
        (m(C::PanelItemMissing, &[]), "L'élément manque."),
        (m(C::PanelRowTwice, &[("row", "<row>")]), "La ligne « <row> » figure deux fois."),
        (m(C::PanelItemTwice, &[("item", "<item>")]), "L'élément « <item> » figure deux fois."),
        (m(C::PanelEstimateMissing, &[("item", "<item>")]), "Estimation manquante pour « <item> »."),
        (
            m(C::PanelRangeMissing, &[("row", "<row>")]),
            "Valeur « <row> » manquante : quatre valeurs ou aucune.",
        ),
        (m(C::PanelNoItem, &[]), "Aucune ligne d'élément : une ligne par point d'appréciation ou critère."),
        (m(C::PanelNone, &[]), "Aucun panel Angoff n'est enregistré pour cette session."),
        (
            m(C::PanelAngoffNoDraft, &[]),
            "Le seuil Angoff est à 0 point ou au maximum : pas de conversion en deux segments.",
        ),
        (
            m(C::PanelHofsteeNoDraft, &[]),
            "Pas de compromis de Hofstee pour ce panel : pas de projet de conversion.",
        ),
        (
            m(C::WhatIfPartTwice, &[("first", "<first>"), ("part", "<part>")]),
            "L'épreuve <part> est déjà modifiée en /parts/<first>.",
        ),
        (
            m(C::WhatIfPartUnknown, &[("part", "<part>"), ("parts", "<parts>")]),
            "Le plan d'examen n'a pas d'épreuve <part> (épreuves : <parts>).",
        ),
        (
            m(C::WhatIfWeight, &[("max", "<max>"), ("part", "<part>"), ("weight", "<weight>")]),
            "Le poids de l'épreuve <part> vaut <weight> : attendu plus de 0 et au plus <max>.",
        ),
        (
            m(C::SelfAssessmentCandidateOnly, &[]),
            "Seul un compte de candidat·e a une auto-évaluation enregistrée.",
        ),
        (
            m(C::SelfAssessmentCriterionUnknown, &[("criterion", "<criterion>")]),
            "Critère inconnu du profil de qualification : « <criterion> ».",
        ),
        (
            m(C::SelfAssessmentLevel, &[]),
            "Le niveau doit être un nombre entier de 1 (pas encore) à 4 (entièrement).",
        ),
        (
            m(C::SubmissionNotPdf, &[]),
            "Ce fichier n'est pas un PDF (le type est reconnu au contenu, pas au nom).",
        ),
        (
            m(C::SubmissionFileName, &[]),
            "Le nom du fichier doit compter de 1 à 200 caractères, sans caractère de contrôle.",
        ),
        (
            m(C::SubmissionEvaluated, &[]),
            "Ce point d'appréciation est déjà évalué pour ce·tte candidat·e : le travail évalué ne change plus.",
        ),
        (
            m(C::SubmissionDeadlineForm, &[]),
            "Date et heure attendues : AAAA-MM-JJTHH:MM (heure suisse), par ex. 2027-03-15T23:59.",
        ),
        (
            m(C::SubmissionDeadlinePast, &[]),
            "Le délai doit être dans le futur ; pour fermer le dépôt, supprimez-le.",
        ),
        (
            m(C::SubmissionNotSitting, &[]),
            "Vous ne passez pas (ou plus) cet examen : le dépôt est fermé pour vous.",
        ),
        (
            m(C::ReminderNoSmtp, &[]),
            "Aucun serveur SMTP n'est configuré (grille serve --smtp) : copiez les messages de la page d'avancement.",
        ),
        (
            m(C::ReminderNothingPending, &[("name", "<name>")]),
            "<name> n'a rien en attente dans cette session",
        ),
        (m(C::TotpCodeWrong, &[]), "Code incorrect ou déjà utilisé."),
        (
            m(C::TotpActive, &[]),
            "Un second facteur est déjà actif : désactivez-le d'abord pour en inscrire un autre.",
        ),
        (
            m(C::TotpMandatory, &[]),
            "Le second facteur est obligatoire pour votre rôle : il ne peut pas être désactivé.",
        ),
        (m(C::PasswordTooShort, &[]), "Le mot de passe doit compter au moins 12 caractères."),
        (m(C::PasswordTooLong, &[]), "Le mot de passe doit compter au plus 128 caractères."),
        (m(C::PasswordHasUsername, &[]), "Le mot de passe ne doit pas reprendre le nom d'utilisateur."),
        (
            m(C::PasswordTooCommon, &[]),
            "Ce mot de passe est trop courant ou trop facile à deviner. Choisissez-en un plus long ou moins prévisible, par exemple quelques mots sans rapport entre eux.",
        ),
        (
            m(C::AccountRoleTrainerSchool, &[]),
            "Un·e formateur·trice est rattaché·e à une école : créez un compte de formateur·trice avec son école.",
        ),
        (
            m(C::AccountRoleSchool, &[]),
            "Ce compte est rattaché à une école : il ne peut être que formateur·trice ou candidat·e.",
        ),
        (
            m(C::AccountRoleCandidate, &[]),
            "Ce compte est lié à un numéro de candidat·e : il reste un compte de candidat·e.",
        ),
        (
            m(C::AccountEmailInvalid, &[("email", "<email>")]),
            "« <email> » n'est pas une adresse électronique (nom@domaine.ch).",
        ),
        (
            m(C::AccountNoSmtp, &[]),
            "Aucun serveur SMTP n'est configuré (grille serve --smtp) : montrez le mot de passe provisoire et transmettez-le.",
        ),
        (
            m(C::AccountNoEmail, &[("username", "<username>")]),
            "Le compte <username> n'a pas d'adresse électronique : ajoutez-la, ou montrez le mot de passe provisoire.",
        ),
        (
            m(C::AccountMailFailed, &[("reason", "<reason>")]),
            "Le mot de passe provisoire n'a pas pu être envoyé (<reason>) : l'ancien ne vaut plus ; montrez-en un nouveau.",
        ),
        (
            m(C::CaseBankAttachmentNotStored, &[]),
            "Ce fichier n'est pas enregistré : créez le cas sans lui, puis joignez-le (ou importez un cas exporté avec ses annexes).",
        ),
        (
            m(C::CaseBankVersionTaken, &[]),
            "Votre banque a déjà un cas avec cet identifiant et cette version : changez la version.",
        ),
        (
            m(C::CaseBankAttachmentNotAttached, &[]),
            "Ce fichier n'est pas joint au cas : ajoutez-le avec « Joindre un fichier ».",
        ),
        (
            m(C::CaseBankVersionUsed, &[]),
            "Cette version du cas est utilisée par une session et ne change plus : copiez-la en une nouvelle version.",
        ),
        (
            m(C::CaseBankStateChange, &[("from", "<from>"), ("to", "<to>")]),
            "Passage impossible de l'état « <from> » à « <to> » : brouillon ↔ prêt, ou utilisé → publié.",
        ),
        (
            m(C::CaseBankReleaseUnpublished, &[]),
            "Un cas ne se publie qu'une fois publiées les sessions qui l'ont utilisé.",
        ),
        (
            m(C::CaseBankNotExport, &[]),
            "Ce fichier n'est pas un cas exporté par grille (format grille-case, version 1).",
        ),
        (m(C::CaseBankFileTooLarge, &[]), "Fichier de plus de 10 Mio."),
        (m(C::CaseBankBase64Unreadable, &[]), "Contenu base64 illisible."),
        (m(C::CaseBankSha256Mismatch, &[]), "L'empreinte SHA-256 ne correspond pas au contenu du fichier."),
        (m(C::CaseBankFileType, &[]), "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG."),
        (m(C::CaseBankAttachmentMissing, &[]), "Le fichier de cette annexe manque dans l'export."),
        (
            m(C::CaseBankAttachmentMismatch, &[]),
            "Le type ou la taille annoncés ne correspondent pas au fichier.",
        ),
        (
            m(C::CaseBankFileTypeSniffed, &[]),
            "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG (le type est reconnu au contenu, pas au nom).",
        ),
        (m(C::CaseBankAlreadyAttached, &[]), "Ce fichier est déjà joint au cas."),
        (m(C::PlanTooManyItems, &[("max", "<max>")]), "<max> compétences au plus."),
        (
            m(C::PlanCompetenceUnknown, &[("competence", "<competence>")]),
            "Compétence inconnue du profil de qualification : « <competence> ».",
        ),
        (
            m(C::PlanCompetenceTwice, &[("competence", "<competence>")]),
            "La compétence <competence> figure deux fois.",
        ),
        (m(C::PlanGoalRequired, &[]), "Indiquez l'objectif (1 à 2000 caractères)."),
        (m(C::PlanDueForm, &[("text", "<text>")]), "« <text> » n'est pas une date (AAAA-MM-JJ)."),
        (m(C::PlanCommentRequired, &[]), "Écrivez le commentaire (1 à 2000 caractères)."),
        (
            m(C::PlanConsultationClosed, &[]),
            "La commission n'a pas ouvert la consultation des grilles remplies de cette session.",
        ),
        (
            m(C::DocumentBankVersionUsed, &[]),
            "Cette version est utilisée par une session et ne change plus : copiez-la en une nouvelle version.",
        ),
        (
            m(C::DocumentBankVersionTaken, &[]),
            "Votre banque a déjà ce document dans cette version : changez la version.",
        ),
        (m(C::DocumentBankSchemeUnknown, &[]), "Barème introuvable dans votre banque."),
        (m(C::DocumentBankNotScheme, &[]), "Ce document n'est pas un barème."),
        (
            m(C::DocumentBankUsedByHand, &[]),
            "Un document devient « utilisé » quand une session le fige, pas à la main.",
        ),
        (m(C::DocumentBankVersionForm, &[]), "Version attendue, p. ex. 2027."),
        (m(C::DocumentBankSessionUnknown, &[]), "Session introuvable."),
        (
            m(C::DocumentBankVersionsTaken, &[("version", "<version>")]),
            "Votre banque a déjà des documents en version « <version> » : choisissez une autre version.",
        ),
        (m(C::ArbitrationPartUnknown, &[]), "Épreuve inconnue du plan d'examen."),
        (
            m(C::ArbitrationPartNotArbitrated, &[("part", "<part>")]),
            "L'épreuve <part> n'est pas conciliée par arbitrage dans le plan d'examen.",
        ),
        (m(C::ArbitrationPositionUnknown, &[]), "Point d'appréciation inconnu dans cette épreuve."),
        (m(C::ArbitrationExaminerUnknown, &[]), "Expert·e inconnu·e pour cette session."),
        (m(C::AgreedJustificationTooLong, &[("max", "<max>")]), "La justification dépasse <max> caractères."),
        (
            m(C::AgreedJustificationRequired, &[]),
            "La note commune et votre note sont de part et d'autre de la note suffisante : une justification écrite est requise pour confirmer.",
        ),
        (
            m(C::AgreedNotAgreedMode, &[("mode", "<mode>"), ("part", "<part>")]),
            "L'épreuve <part> est conciliée par « <mode> » : pas d'évaluation commune.",
        ),
        (m(C::CorrectionReasonRequired, &[]), "Le motif est obligatoire (2000 caractères au plus)."),
        (m(C::CorrectionNotSat, &[]), "Ce·tte candidat·e n'a pas passé l'examen : aucune note à corriger."),
        (
            m(C::CorrectionKeepsDecision, &[]),
            "Cette correction ne change pas la décision : enregistrez-la directement.",
        ),
        (
            m(C::CorrectionRejectReasonRequired, &[]),
            "Le motif du rejet est obligatoire (2000 caractères au plus) : l'auteur·e de la proposition le lit.",
        ),
        (m(C::ScoringNoCandidate, &[]), "Aucun·e candidat·e inscrit·e : l'évaluation ne peut pas commencer."),
        (
            m(C::CandidateStatusUnknown, &[("allowed", "<allowed>")]),
            "Statut inconnu ; valeurs admises : <allowed>.",
        ),
        (
            m(C::ExaminerHistorySessionNumber, &[("text", "<text>")]),
            "« <text> » n'est pas un numéro de session : attendu des numéros séparés par des virgules, p. ex. 3,7.",
        ),
        (
            m(
                C::ExaminerHistorySessionsUnknown,
                &[("known", "<known>"), ("unknown", "<unknown>"), ("username", "<username>")],
            ),
            "<username> n'a noté dans aucune session officielle numéro <unknown> : choisir parmi <known>.",
        ),
        (
            m(C::ExaminerHistorySessionsNone, &[("unknown", "<unknown>"), ("username", "<username>")]),
            "<username> n'a noté dans aucune session officielle numéro <unknown> : choisir parmi aucune.",
        ),
        (m(C::AccommodationExtraMinutes, &[]), "De 0 à 600 minutes."),
        (
            m(C::AccommodationNeedsName, &[]),
            "Saisissez d'abord le nom et les prénoms de la personne : les aménagements sont gardés avec eux.",
        ),
        (
            m(C::ReopenReasonRequired, &[]),
            "Indiquez le motif (1 à 2000 caractères) : il est gardé dans le journal.",
        ),
        (m(C::SchoolNameLength, &[]), "Le nom doit compter de 1 à 200 caractères."),
        (
            m(C::ExamSessionNoDocuments, &[]),
            "Cette session n'est figée sur aucun plan d'examen ni barème : elle ne peut pas être évaluée.",
        ),
        (m(C::MailLanguageUnknown, &[]), "langue inconnue : fr, de ou it"),
        (
            m(C::CsvDecodeWorkbook, &[]),
            "Ce fichier est un classeur (Excel .xlsx, .xls ou .ods), pas un fichier CSV : enregistrez-le sous « CSV UTF-8 » ou « CSV (séparateur : point-virgule) ».",
        ),
        (
            m(
                C::CsvDecodeNotText,
                &[("code", "<code>"), ("column", "<column>"), ("encoding", "<encoding>"), ("line", "<line>")],
            ),
            "Ce fichier n'est pas du texte CSV : caractère <code> à la ligne <line>, colonne <column> (lu en <encoding>). Enregistrez-le sous « CSV UTF-8 » ou « CSV (séparateur : point-virgule) ».",
        ),
        (m(C::CsvEncodingNameUtf8, &[]), "UTF-8"),
        (m(C::CsvEncodingNameUtf8Bom, &[]), "UTF-8 avec BOM"),
        (m(C::CsvEncodingNameUtf16Le, &[]), "UTF-16 LE"),
        (m(C::CsvEncodingNameUtf16Be, &[]), "UTF-16 BE"),
        (m(C::CsvEncodingNameWindows1252, &[]), "Windows-1252 (ISO-8859-1)"),
        (m(C::AccountDisabled, &[]), "Ce compte est désactivé ; adressez-vous à la commission d'examen."),
        (
            m(C::AccountUsernameForm, &[]),
            "3 à 64 caractères : lettres minuscules, chiffres, « . », « _ » ou « - ».",
        ),
        (
            m(C::AccountNumberRoleCandidate, &[]),
            "Seul un compte de rôle candidate est lié à un numéro de candidat·e.",
        ),
        (m(C::AccountSchoolIdUnknown, &[]), "École inconnue."),
        (
            m(C::AccountNumberNotInRegister, &[]),
            "Numéro de candidat·e inconnu dans ce registre (celui de l'école choisie, ou celui de la commission sans école).",
        ),
        (
            m(C::SittingWarningAuthor, &[("names", "<names>")]),
            "<names> a rédigé ou relu ce cas et évalue ce·tte candidat·e : changez d'expert·e ou de cas.",
        ),
        (
            m(C::SittingWarningSatBefore, &[]),
            "Ce·tte candidat·e a déjà passé ce cas lors d'une autre session.",
        ),
        (
            m(C::TranslationFileLanguage, &[("language", "<language>")]),
            "la langue « <language> » n'est pas celle du nom du fichier",
        ),
        (m(C::PasswordCurrentWrong, &[]), "Le mot de passe actuel est incorrect."),
        // The API's query string and If-Match header (the server's
        // `format!` sentences before the codes).
        (
            m(C::QueryInvalid, &[("error", "le champ obligatoire « x » manque")]),
            "Les paramètres de la requête sont incorrects : le champ obligatoire « x » manque.",
        ),
        (m(C::QueryRequired, &[("parameter", "table")]), "Le paramètre « table » est obligatoire."),
        (
            m(C::QueryValueAllowed, &[("parameter", "table"), ("found", "x"), ("allowed", "severity, icc")]),
            "Le paramètre « table » a une valeur incorrecte (« x ») ; valeurs admises : severity, icc.",
        ),
        (
            m(C::QueryValueAllowedUnseen, &[("parameter", "table"), ("allowed", "severity, icc")]),
            "Le paramètre « table » a une valeur incorrecte ; valeurs admises : severity, icc.",
        ),
        (
            m(C::QueryValueExpected, &[("parameter", "limit"), ("found", "many"), ("expected", "un entier")]),
            "Le paramètre « limit » a une valeur incorrecte (« many ») ; attendu : un entier.",
        ),
        (
            m(C::QueryValueExpectedUnseen, &[("parameter", "limit"), ("expected", "un entier")]),
            "Le paramètre « limit » a une valeur incorrecte ; attendu : un entier.",
        ),
        (
            m(C::QueryValueError, &[("parameter", "p"), ("found", "v"), ("error", "donnée incorrecte (x)")]),
            "Le paramètre « p » a une valeur incorrecte (« v ») : donnée incorrecte (x).",
        ),
        (
            m(C::QueryValueErrorUnseen, &[("parameter", "p"), ("error", "donnée incorrecte (x)")]),
            "Le paramètre « p » a une valeur incorrecte : donnée incorrecte (x).",
        ),
        (
            m(C::QueryExpectedRange, &[("kind", "un entier"), ("minimum", "0"), ("maximum", "4294967295")]),
            "un entier de 0 à 4294967295",
        ),
        (m(C::QueryExpectedNonNegative, &[("kind", "un entier")]), "un entier positif ou nul"),
        (m(C::QueryExpectedAtLeast, &[("kind", "un entier"), ("minimum", "1")]), "un entier d'au moins 1"),
        (m(C::QueryExpectedAtMost, &[("kind", "un entier"), ("maximum", "500")]), "un entier d'au plus 500"),
        (
            m(C::IfMatchForm, &[("found", "abc")]),
            "L'en-tête If-Match doit contenir la version reçue dans l'ETag, p. ex. \"3\" (reçu : abc).",
        ),
        (
            m(C::IfMatchFormUnreadable, &[]),
            "L'en-tête If-Match doit contenir la version reçue dans l'ETag, p. ex. \"3\".",
        ),
        // The quality statistics' sentences (grille-server's `format!`
        // sentences before the codes).
        (
            m(
                C::QualityFlagSevere,
                &[("examiner", "exp-01"), ("panel", "de l'épreuve 1"), ("logits", "+0.80"), ("z", "2.6")],
            ),
            "exp-01 note plus sévèrement que l'ensemble des expert·e·s de l'épreuve 1 (+0.80 logit, 2.6 erreurs types).",
        ),
        (
            m(
                C::QualityFlagSevereEffect,
                &[
                    ("examiner", "exp-01"),
                    ("panel", "de l'épreuve 1"),
                    ("logits", "+0.80"),
                    ("z", "2.6"),
                    ("effect", "-0.31"),
                ],
            ),
            "exp-01 note plus sévèrement que l'ensemble des expert·e·s de l'épreuve 1 (+0.80 logit, 2.6 erreurs types) ; au seuil de réussite, l'effet est d'environ -0.31 point de note.",
        ),
        (
            m(
                C::QualityFlagLenient,
                &[
                    ("examiner", "exp-02"),
                    ("panel", "des sessions réunies"),
                    ("logits", "-0.70"),
                    ("z", "2.1"),
                ],
            ),
            "exp-02 note plus généreusement que l'ensemble des expert·e·s des sessions réunies (-0.70 logit, 2.1 erreurs types).",
        ),
        (
            m(
                C::QualityFlagLenientEffect,
                &[
                    ("examiner", "exp-02"),
                    ("panel", "des sessions réunies"),
                    ("logits", "-0.70"),
                    ("z", "2.1"),
                    ("effect", "+0.25"),
                ],
            ),
            "exp-02 note plus généreusement que l'ensemble des expert·e·s des sessions réunies (-0.70 logit, 2.1 erreurs types) ; au seuil de réussite, l'effet est d'environ +0.25 point de note.",
        ),
        (m(C::QualityPanelPart, &[("part", "3")]), "de l'épreuve 3"),
        (m(C::QualityPanelSessions, &[]), "des sessions réunies"),
        (
            m(C::QualityModelDisconnected, &[]),
            "Les évaluations forment des groupes qu'aucun·e candidat·e ni critère ne relie : les sévérités de groupes différents ne se comparent pas.",
        ),
        (
            m(C::QualityModelConfounded, &[]),
            "Le plan d'évaluation ne sépare pas les facettes : des groupes d'expert·e·s ont évalué des groupes distincts de candidat·e·s, si bien qu'une différence de sévérité ne se distingue pas d'une différence de niveau.",
        ),
        (
            m(C::QualityModelNothingToEstimate, &[]),
            "Après exclusion des scores extrêmes, il ne reste aucune évaluation à analyser (trop peu de données).",
        ),
        (
            m(C::QualityModelInput, &[("error", "rating 9 above maximum 3")]),
            "Les données ne se prêtent pas à l'estimation : rating 9 above maximum 3.",
        ),
        (m(C::QualityExcludedNoRatings, &[]), "aucune évaluation avec un niveau"),
        (m(C::QualityExcludedNoRatingsLeft, &[]), "toutes ses évaluations concernent des éléments exclus"),
        (m(C::QualityExcludedAllLowest, &[]), "toutes ses évaluations au niveau le plus bas (score extrême)"),
        (
            m(C::QualityExcludedAllHighest, &[]),
            "toutes ses évaluations au niveau le plus haut (score extrême)",
        ),
        (m(C::QualityExcludedSingleLevel, &[]), "le critère n'a qu'un niveau"),
        (m(C::QualityExcludedSingleCategoryUsed, &[]), "un seul niveau utilisé sur cette échelle"),
        // A case refused by its state on a line of a sittings file (the
        // workflow's French sentences of the same refusals).
        (m(C::SittingCaseDraft, &[]), "Ce cas est un brouillon : marquez-le « prêt » avant de l'attribuer."),
        (m(C::SittingCaseUnused, &[]), "Ce cas n'a encore été utilisé par aucune session."),
        (
            m(C::SittingCaseFrozen, &[]),
            "Cette version du cas est utilisée par une session et ne change plus : copiez-la en une nouvelle version.",
        ),
    ]
}

#[test]
fn every_problem_code_has_the_french_sentence_of_the_problems_before_messages() {
    let mut seen = BTreeSet::new();
    for (message, expected) in cases() {
        assert!(message.code.is_problem(), "{}", message.code);
        seen.insert(message.code);
        assert_eq!(message.french(), expected, "{}", message.code);
    }
    let untested: Vec<&str> =
        C::PROBLEMS.iter().filter(|code| !seen.contains(*code)).map(|code| code.as_str()).collect();
    assert!(untested.is_empty(), "codes without a French test: {untested:?}");
}

/// Nested messages: a value's name, a document's name, serde's words.
#[test]
fn nested_problems_read_as_the_old_sentences() {
    let blank = m(C::Blank, &[]).with_message("what", m(C::FieldCaseId, &[]));
    assert_eq!(blank.french(), "l'identifiant du cas est vide");
    let in_rubric = m(C::RubricTwoLevels, &[("criterion", "k1")])
        .in_document(m(C::DocumentRubric, &[("id", "g-entretien")]));
    assert_eq!(in_rubric.french(), "grille g-entretien : le critère k1 doit avoir au moins deux niveaux");
    let types = m(C::SchemaType, &[])
        .with_list("expected_types", vec![m(C::JsonTypeInteger, &[]), m(C::JsonTypeString, &[])])
        .with_message("found", m(C::JsonTypeArray, &[]));
    assert_eq!(types.french(), "type incorrect : attendu un entier ou un texte, trouvé une liste");
    let found = m(C::SerdeFoundValue, &[("value", "5")]).with_message("kind", m(C::JsonTypeInteger, &[]));
    let invalid = m(C::SerdeInvalidType, &[])
        .with_message("found", found)
        .with_message("expected", m(C::JsonTypeString, &[]));
    assert_eq!(invalid.french(), "type incorrect : un entier (5), attendu un texte");
}

#[test]
fn problem_codes_are_unique_and_apart_from_the_engine_codes() {
    let mut texts = BTreeSet::new();
    for code in C::ALL {
        assert!(texts.insert(code.as_str()), "{code} twice");
    }
    assert!(C::PROBLEMS.iter().all(|code| code.is_problem()));
    assert_eq!(C::ALL.iter().filter(|code| code.is_problem()).count(), C::PROBLEMS.len());
}

/// The string literals of `source` outside comments and test modules
/// (`#[cfg(test)]` up to the end of the item it marks), with their line.
fn literals(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut skip_depth: Option<i32> = None;
    let mut depth = 0;
    let mut pending_test = false;
    for (number, line) in source.lines().enumerate() {
        // Escaped quotes are part of a literal, not its ends.
        let unescaped = line.replace("\\\"", "'");
        let code = unescaped.split("//").next().unwrap_or_default();
        if line.trim_start().starts_with("#[cfg(test)]") {
            pending_test = true;
            continue;
        }
        let opens = code.matches('{').count() as i32;
        let closes = code.matches('}').count() as i32;
        if pending_test && opens > 0 {
            skip_depth = Some(depth);
            pending_test = false;
        }
        depth += opens - closes;
        if let Some(at) = skip_depth {
            if depth <= at {
                skip_depth = None;
            }
            continue;
        }
        if line.trim_start().starts_with("//") || line.trim_start().starts_with("#[") {
            continue;
        }
        for (index, piece) in code.split('"').enumerate() {
            if index % 2 == 1 {
                found.push((number + 1, piece.to_owned()));
            }
        }
    }
    found
}

/// Whether a text reads as French words.
fn reads_french(text: &str) -> bool {
    let accented = text.chars().any(|c| "éèêàâçùûôîœ«»".contains(c));
    let words = [" est ", " le ", " la ", " les ", " des ", " du ", " une ", " pas ", " doit ", " aucun"];
    accented || words.iter().any(|word| text.contains(word))
}

#[test]
fn competence_and_scoring_build_no_french_sentence_outside_the_french_text_module() {
    // What may stay, and why: data (the profile's French headings, the
    // default scheme's French title, the search's spelling variants) and
    // the published JSON Schema's descriptions, not messages; and the
    // calculator's errors and rounding names, which the engine messages
    // carry as text (left for a later step, listed here so that nothing
    // else joins them unnoticed).
    let allowed: &[(&str, &str)] = &[
        ("competence/src/model.rs", "Potentiel de réalisation"),
        ("competence/src/model.rs", "Connaissances, compréhension"),
        ("competence/src/model.rs", "Capacités métacognitives"),
        ("competence/src/search.rs", "mettre en œuvre"),
        ("scoring/src/scheme.rs", "Barème par défaut"),
        ("scoring/src/decimal.rs", "Nombre décimal exact"),
        ("scoring/src/calc.rs", ""),
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut offending = Vec::new();
    for crate_dir in ["competence/src", "scoring/src"] {
        let mut stack = vec![root.join(crate_dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let relative = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                if path.extension().is_none_or(|ext| ext != "rs") || relative.ends_with("/french_text.rs") {
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                for (line, text) in literals(&source) {
                    let excused =
                        allowed.iter().any(|(file, start)| relative == *file && text.starts_with(start));
                    if reads_french(&text) && !excused {
                        offending.push(format!("{relative}:{line}: {text}"));
                    }
                }
            }
        }
    }
    assert!(offending.is_empty(), "French sentences outside french_text.rs:\n{}", offending.join("\n"));
}
