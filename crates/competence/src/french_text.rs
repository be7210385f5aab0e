//! The French text of a [`Message`], kept only so that the JSON results
//! and the problems of documents go on carrying the sentences their
//! existing consumers read (`decision`, `pending`, `explanation`, a
//! problem's `message`, ...), byte for byte as before the messages
//! existed. It is the one place of `grille-competence` and
//! `grille-scoring` where a message becomes words; readers of other
//! languages render the message through the report crate's catalogue
//! instead (`engine.<code>` and `problem.<code>`, whose French texts say
//! the same).

use crate::message::{ListSeparator, Message, MessageArg, MessageCode};

/// The argument `name` of `message` in French: text as it is, a nested
/// message rendered, a list rendered item by item and joined.
fn arg(message: &Message, name: &str) -> String {
    match message.arg(name) {
        None => String::new(),
        Some(MessageArg::Text(text)) => text.clone(),
        Some(MessageArg::Message(inner)) => render(inner),
        Some(MessageArg::List(items)) => {
            let separator = match ListSeparator::of(name) {
                ListSeparator::Semicolon => " ; ",
                ListSeparator::Comma => ", ",
                ListSeparator::Or => " ou ",
            };
            items.iter().map(render).collect::<Vec<_>>().join(separator)
        }
    }
}

/// The French sentence of `message`.
pub fn render(message: &Message) -> String {
    if let Some(template) = problem_template(message.code) {
        // As the report crate fills a catalogue text: each argument in
        // name order, every `{name}` replaced.
        return message.args.keys().fold(template.to_owned(), |text, name| {
            text.replace(&format!("{{{name}}}"), &arg(message, name))
        });
    }
    let a = |name: &str| arg(message, name);
    match message.code {
        MessageCode::DecisionPassed => {
            format!("examen réussi : note globale {}, toutes les conditions de réussite sont remplies", a("grade"))
        }
        MessageCode::DecisionFailed => format!(
            "examen échoué (note globale {}) : condition(s) non remplie(s) : {}",
            a("grade"),
            a("conditions")
        ),
        MessageCode::DecisionWithdrawnUnexcused => {
            "retrait sans motif valable : l'examen est considéré comme échoué, sans notes".to_owned()
        }
        MessageCode::DecisionExcluded => {
            "exclusion de l'examen : l'examen est considéré comme échoué, sans notes".to_owned()
        }
        MessageCode::DecisionWithdrawnExcused => {
            "retrait pour motif valable : pas de résultat, la tentative ne compte pas".to_owned()
        }
        MessageCode::DecisionAbsent => {
            "absence : pas de résultat tant que la commission n'a pas statué sur le motif (retrait excusé ou non)"
                .to_owned()
        }
        MessageCode::DecisionPartGradeMissing => {
            "résultat en attente : au moins une note d'épreuve manque".to_owned()
        }
        MessageCode::DecisionOverallIncalculable => format!("note globale incalculable : {}", a("error")),
        MessageCode::WarningEvaluationsIgnored => format!(
            "des évaluations sont saisies (point(s) {}) alors que le statut est « {} » : elles sont conservées mais ignorées pour la note",
            a("positions"),
            a("status")
        ),
        MessageCode::StatusPresent => "présent·e".to_owned(),
        MessageCode::StatusWithdrawnExcused => "retrait pour motif valable".to_owned(),
        MessageCode::StatusWithdrawnUnexcused => "retrait sans motif valable".to_owned(),
        MessageCode::StatusExcluded => "exclusion".to_owned(),
        MessageCode::StatusAbsent => "absence".to_owned(),
        MessageCode::PendingPart => format!("épreuve {} : {}", a("part"), a("reason")),
        MessageCode::PendingPosition => format!("point {} : {}", a("position"), a("reason")),
        MessageCode::PendingPartIncalculable => format!("note d'épreuve incalculable : {}", a("error")),
        MessageCode::PendingRubricMissing => format!("la grille {} n'est pas fournie", a("rubric")),
        MessageCode::PendingNoEvaluation => "aucune évaluation saisie".to_owned(),
        MessageCode::PendingAwaitingConfirmation => {
            format!("évaluation commune en attente de la confirmation de {}", a("names"))
        }
        MessageCode::PendingAgreedIncomplete => format!("évaluation commune incomplète : {}", a("reason")),
        MessageCode::PendingEvaluationIncomplete => {
            format!("évaluation de {} incomplète : {}", a("examiner"), a("reason"))
        }
        MessageCode::PendingEvaluationsExpected => {
            format!("{} évaluation(s) attendue(s), {} saisie(s)", a("expected"), a("entered"))
        }
        MessageCode::PendingIdenticalNeedsAgreement => {
            "évaluations identiques, mais le barème exige une évaluation commune explicite".to_owned()
        }
        MessageCode::PendingOpenDiscrepancy => {
            "les évaluations diffèrent et aucune évaluation commune n'est saisie : divergence ouverte".to_owned()
        }
        MessageCode::PendingArbiterIncomplete => {
            format!("évaluation de l'arbitre {} incomplète : {}", a("arbiter"), a("reason"))
        }
        MessageCode::PendingArbiterMissing => {
            format!("arbitrage nécessaire ({}) : l'évaluation de l'arbitre manque", a("flags"))
        }
        MessageCode::PendingMeanIncalculable => format!("moyenne des notes incalculable : {}", a("error")),
        MessageCode::ReconciliationAwaitingConfirmation => {
            format!("évaluation commune saisie, en attente de la confirmation de {}", a("names"))
        }
        MessageCode::ReconciliationAgreed => "évaluation commune des expert·e·s".to_owned(),
        MessageCode::ReconciliationAgreedIncomplete => "évaluation commune incomplète".to_owned(),
        MessageCode::ReconciliationAwaitingEvaluations => {
            "les évaluations des expert·e·s ne sont pas toutes complètes".to_owned()
        }
        MessageCode::ReconciliationSingle => "évaluation unique (une seule personne experte prévue)".to_owned(),
        MessageCode::ReconciliationIdentical => "évaluations identiques : accord automatique".to_owned(),
        MessageCode::ReconciliationNeedsExplicitAgreement => {
            "le barème exige une évaluation commune explicite".to_owned()
        }
        MessageCode::ReconciliationAwaitingAgreement => {
            "les évaluations diffèrent : une évaluation commune est attendue".to_owned()
        }
        MessageCode::ReconciliationMean => format!(
            "mode moyenne : moyenne des notes des expert·e·s ({}) = {} → {}",
            a("grades"),
            a("unrounded"),
            a("grade")
        ),
        MessageCode::ReconciliationMeanNoFlag => format!(
            "mode arbitrage, aucun signalement d'écart : moyenne des notes des expert·e·s ({}) = {} → {}",
            a("grades"),
            a("unrounded"),
            a("grade")
        ),
        MessageCode::ReconciliationMeanNoFlagArbiterUnused => format!(
            "mode arbitrage, aucun signalement d'écart : moyenne des notes des expert·e·s ({}) = {} → {} ; l'évaluation de l'arbitre n'est pas utilisée (aucun écart signalé)",
            a("grades"),
            a("unrounded"),
            a("grade")
        ),
        MessageCode::ReconciliationArbiter => {
            format!("arbitrage : {} ; l'évaluation de l'arbitre {} est officielle", a("flags"), a("arbiter"))
        }
        MessageCode::ReconciliationArbiterIncomplete => {
            format!("arbitrage nécessaire : {} ; l'évaluation de l'arbitre est incomplète", a("flags"))
        }
        MessageCode::ReconciliationArbiterAwaited => {
            format!("arbitrage nécessaire : {} ; l'évaluation de l'arbitre est attendue", a("flags"))
        }
        MessageCode::ReconciliationMeanIncalculable => format!("moyenne incalculable : {}", a("error")),
        MessageCode::FlagStep => format!(
            "les notes diffèrent de {} (de {} à {}) : écart d'au moins {}",
            a("gap"),
            a("lowest"),
            a("highest"),
            a("step")
        ),
        MessageCode::FlagStraddle => format!(
            "les notes {} et {} sont de part et d'autre de la note suffisante {}",
            a("lowest"),
            a("highest"),
            a("pass")
        ),
        MessageCode::ConditionMinOverall => {
            format!("note globale {} {} {} exigé", a("grade"), a("relation"), a("minimum"))
        }
        MessageCode::ConditionMaxInsufficientParts => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ; au plus {} admise(s)",
            a("count"),
            a("pass"),
            a("max")
        ),
        MessageCode::ConditionMaxInsufficientPartsListed => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ({}) ; au plus {} admise(s)",
            a("count"),
            a("pass"),
            a("parts"),
            a("max")
        ),
        MessageCode::ConditionMinPartGradeMet => {
            format!("aucune note d'épreuve inférieure à {}", a("minimum"))
        }
        MessageCode::ConditionMinPartGradeUnmet => {
            format!("note(s) d'épreuve inférieure(s) à {} : {}", a("minimum"), a("parts"))
        }
        MessageCode::ConditionMaxShortfallSum => {
            format!("somme des écarts sous {} : {} ; au plus {} admis", a("pass"), a("sum"), a("max"))
        }
        MessageCode::ConditionRequiredPart => {
            format!("l'épreuve {} doit atteindre {} : note {}", a("part"), a("pass"), a("grade"))
        }
        MessageCode::ConditionRequiredPartAbsent => {
            format!("l'épreuve {} doit atteindre {} : note absente", a("part"), a("pass"))
        }
        MessageCode::ConditionMaxPartsBelow => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ; au plus {} admise(s)",
            a("count"),
            a("below"),
            a("max")
        ),
        MessageCode::ConditionMaxPartsBelowListed => format!(
            "{} note(s) d'épreuve inférieure(s) à {} ({}) ; au plus {} admise(s)",
            a("count"),
            a("below"),
            a("parts"),
            a("max")
        ),
        MessageCode::ConditionPartMinimum => {
            format!("l'épreuve {} doit atteindre {} : note {}", a("part"), a("minimum"), a("grade"))
        }
        MessageCode::ConditionPartMinimumAbsent => {
            format!("l'épreuve {} doit atteindre {} : note absente", a("part"), a("minimum"))
        }
        MessageCode::ConditionMinPositionGradeMet => {
            format!("aucune note de point d'appréciation inférieure à {}", a("minimum"))
        }
        MessageCode::ConditionMinPositionGradeUnmet => format!(
            "note(s) de point d'appréciation inférieure(s) à {} : {}",
            a("minimum"),
            a("positions")
        ),
        MessageCode::ConditionPositionMinimum => format!(
            "le point d'appréciation {} doit atteindre {} : note {}",
            a("position"),
            a("minimum"),
            a("grade")
        ),
        MessageCode::ConditionPositionMinimumAbsent => format!(
            "le point d'appréciation {} doit atteindre {} : note absente",
            a("position"),
            a("minimum")
        ),
        MessageCode::ConditionPositionMinimumCarried => format!(
            "le point d'appréciation {} doit atteindre {} : non jugé, son épreuve est reportée d'une tentative précédente",
            a("position"),
            a("minimum")
        ),
        MessageCode::PartGrade => format!("épreuve {} : {}", a("part"), a("grade")),
        MessageCode::PositionGrade => format!("point {} : {}", a("position"), a("grade")),
        MessageCode::CarriedFromSession => {
            format!("note reportée de la session {} (épreuve réussie)", a("session"))
        }
        MessageCode::CarriedEarlierAttempt => {
            "note reportée d'une tentative précédente (épreuve réussie)".to_owned()
        }
        MessageCode::CaseAllAssessed => format!(
            "cas {} (version {}) : tous les critères de la grille sont évalués",
            a("case"),
            a("version")
        ),
        MessageCode::CaseLeftOut => format!(
            "cas {} (version {}) : critère(s) non évaluable(s) par conception du cas : {} ; ils sortent des points et du maximum, le même pour tou·te·s les candidat·e·s de ce cas",
            a("case"),
            a("version"),
            a("criteria")
        ),
        MessageCode::AnswerUnknownCriterion => {
            format!("le critère {} n'existe pas dans la grille {}", a("criterion"), a("rubric"))
        }
        MessageCode::AnswerDuplicate => format!("le critère {} a deux réponses", a("criterion")),
        MessageCode::AnswerPointsOnLeftOut => format!(
            "le critère {} est écarté par le cas (non évaluable par conception) mais a des points",
            a("criterion")
        ),
        MessageCode::AnswerPointsAndNotAssessable => {
            format!("le critère {} a à la fois des points et « non évaluable »", a("criterion"))
        }
        MessageCode::AnswerNotAssessableRefused => {
            format!("le critère {} ne peut pas être marqué « non évaluable » selon la grille", a("criterion"))
        }
        MessageCode::AnswerNoSuchLevel => format!(
            "le critère {} : {} point(s) ne correspond à aucun niveau (niveaux : {})",
            a("criterion"),
            a("points"),
            a("levels")
        ),
        MessageCode::AnswerUnanswered => format!("le critère {} n'a pas de réponse", a("criterion")),
        MessageCode::EvaluationNoMaximum => {
            "aucun critère n'a pu être évalué : pas de maximum de points, donc pas de note".to_owned()
        }
        MessageCode::EvaluationIncalculable => format!("note incalculable : {}", a("error")),
        MessageCode::ConversionLinear => "linéaire".to_owned(),
        MessageCode::ConversionTwoPiece => {
            format!("deux segments linéaires, note {} à {} du maximum", a("pass"), a("fraction"))
        }
        MessageCode::ConversionTable => "tableau de seuils".to_owned(),
        MessageCode::FormulaTablePoints => format!("{} point(s) sur {}", a("points"), a("max")),
        MessageCode::FormulaTablePointsScaled => format!(
            "{} point(s) sur {}, ramené(s) au tableau sur {} : {} × {} / {} = {}",
            a("points"),
            a("max"),
            a("table"),
            a("points"),
            a("table"),
            a("max"),
            a("scaled")
        ),
        MessageCode::FormulaTableReached => {
            format!("{} ; seuil {} atteint → note {}", a("points"), a("threshold"), a("grade"))
        }
        MessageCode::FormulaTableNoneReached => {
            format!("{} ; aucun seuil atteint → note minimale {}", a("points"), a("grade"))
        }
        MessageCode::CalcMaxNotPositive => {
            format!("le maximum de points ({}) doit être supérieur à 0", a("max"))
        }
        MessageCode::CalcPointsOutOfRange => {
            format!("{} point(s) hors de l'intervalle de 0 à {}", a("points"), a("max"))
        }
        MessageCode::CalcEmptyMean => "moyenne impossible : aucune note".to_owned(),
        MessageCode::CalcLengthMismatch => {
            format!("{} note(s) mais {} pondération(s)", a("grades"), a("weights"))
        }
        MessageCode::CalcWeightNotPositive => {
            format!("la pondération {} doit être supérieure à 0", a("weight"))
        }
        MessageCode::CalcStepNotPositive => format!("le pas d'arrondi {} doit être supérieur à 0", a("step")),
        MessageCode::CalcOverflow => "dépassement de capacité du calcul décimal".to_owned(),
        MessageCode::RoundingHalfUpHalf => "arrondi à la demi-note, demi vers le haut".to_owned(),
        MessageCode::RoundingHalfUpTenth => "arrondi au dixième, demi vers le haut".to_owned(),
        MessageCode::RoundingHalfUpWhole => "arrondi à l'entier, demi vers le haut".to_owned(),
        MessageCode::RoundingHalfUpStep => format!("arrondi au multiple de {}, demi vers le haut", a("step")),
        MessageCode::RoundingUpHalf => "arrondi à la demi-note supérieure".to_owned(),
        MessageCode::RoundingUpTenth => "arrondi au dixième supérieur".to_owned(),
        MessageCode::RoundingUpWhole => "arrondi à l'entier supérieur".to_owned(),
        MessageCode::RoundingUpStep => format!("arrondi au multiple de {} supérieur", a("step")),
        MessageCode::RoundingDownHalf => "arrondi à la demi-note inférieure".to_owned(),
        MessageCode::RoundingDownTenth => "arrondi au dixième inférieur".to_owned(),
        MessageCode::RoundingDownWhole => "arrondi à l'entier inférieur".to_owned(),
        MessageCode::RoundingDownStep => format!("arrondi au multiple de {} inférieur", a("step")),
        // Rendered by their template above.
        _ => String::new(),
    }
}

/// The French template of a document problem's code (`None` for the
/// engine's codes): its `{name}` placeholders are the arguments.
pub fn problem_template(code: MessageCode) -> Option<&'static str> {
    Some(match code {
        MessageCode::Text => "{text}",
        MessageCode::JsonInvalid => "JSON invalide à la ligne {line}, colonne {column} : {error}",
        MessageCode::JsonEof => "le fichier se termine avant la fin du document",
        MessageCode::JsonSyntax => "erreur de syntaxe : {error}",
        MessageCode::DocumentNonconforming => "document non conforme : {error}",
        MessageCode::SchemaUnusable => "schéma interne inutilisable : {error}",
        MessageCode::SchemaUnusableBare => "schéma interne inutilisable",
        MessageCode::SerdeInvalidType => "type incorrect : {found}, attendu {expected}",
        MessageCode::SerdeInvalidValue => "valeur incorrecte : {found}, attendu {expected}",
        MessageCode::SerdeFoundValue => "{kind} ({value})",
        MessageCode::SerdeOneOf => "l'une des valeurs {options}",
        MessageCode::SerdeMissingField => "le champ obligatoire « {name} » manque",
        MessageCode::SerdeUnknownField => "champ inconnu « {name} » ; champs admis : {expected}",
        MessageCode::SerdeUnknownVariant => "valeur « {name} » non admise ; attendu {expected}",
        MessageCode::SerdeDuplicateField => "le champ « {name} » figure deux fois",
        MessageCode::SerdeEof => "le texte se termine avant la fin du document",
        MessageCode::SerdeExpectedValue => "une valeur JSON est attendue ici",
        MessageCode::SerdeTrailingCharacters => "du texte suit la fin du document",
        MessageCode::SerdeKeyMustBeString => "un nom de champ doit être un texte entre guillemets",
        MessageCode::SerdeExpectedCommaOrBrace => "une virgule ou « } » est attendue",
        MessageCode::SerdeExpectedCommaOrBracket => "une virgule ou « ] » est attendue",
        MessageCode::SerdeExpectedColon => "« : » est attendu après le nom du champ",
        MessageCode::SerdeOther => "donnée incorrecte ({message})",
        MessageCode::JsonTypeNull => "null",
        MessageCode::JsonTypeBoolean => "un booléen",
        MessageCode::JsonTypeBooleanLiteral => "un booléen (true ou false)",
        MessageCode::JsonTypeInteger => "un entier",
        MessageCode::JsonTypeNumber => "un nombre",
        MessageCode::JsonTypeFloating => "un nombre décimal",
        MessageCode::JsonTypeString => "un texte",
        MessageCode::JsonTypeArray => "une liste",
        MessageCode::JsonTypeObject => "un objet",
        MessageCode::JsonTypeSessionObject => "un objet JSON (la session)",
        MessageCode::SchemaNotAllowed => "valeur {value} non admise ; valeurs possibles : {options}",
        MessageCode::SchemaRequired => "le champ obligatoire {property} manque",
        MessageCode::SchemaAdditionalProperties => "champ inconnu : {names}",
        MessageCode::SchemaType => "type incorrect : attendu {expected_types}, trouvé {found}",
        MessageCode::SchemaMinLength => "texte trop court : au moins {limit} caractère(s) attendu(s)",
        MessageCode::SchemaMaxLength => "texte trop long : au plus {limit} caractères",
        MessageCode::SchemaMinItems => "liste trop courte : au moins {limit} élément(s)",
        MessageCode::SchemaMaxItems => "liste trop longue : au plus {limit} éléments",
        MessageCode::SchemaMinimum => "la valeur {value} est inférieure au minimum {limit}",
        MessageCode::SchemaMaximum => "la valeur {value} dépasse le maximum {limit}",
        MessageCode::SchemaExclusiveMinimum => "la valeur {value} doit être strictement supérieure à {limit}",
        MessageCode::SchemaExclusiveMaximum => "la valeur {value} doit être strictement inférieure à {limit}",
        MessageCode::SchemaDecimal => "la valeur {value} n'est pas un nombre décimal exact : écrivez {fixed}",
        MessageCode::SchemaDecimalExample => {
            "la valeur {value} n'est pas un nombre décimal exact : écrivez par exemple \"4.5\" ou 20"
        }
        MessageCode::SchemaPattern => "la valeur {value} ne suit pas le format attendu ({pattern})",
        MessageCode::SchemaConst => "la valeur doit être {expected}, trouvé {value}",
        MessageCode::SchemaNoForm => "la valeur {value} ne correspond à aucune des formes admises",
        MessageCode::SchemaFormat => "la valeur {value} n'est pas au format {format}",
        MessageCode::SchemaOther => "non conforme au schéma : {error}",
        MessageCode::CatalogueVersionNotDate => "la version « {version} » n'est pas une date AAAA-MM-JJ",
        MessageCode::CatalogueDomainDuplicate => "le domaine {domain} est défini deux fois",
        MessageCode::CatalogueDomainEmpty => "le domaine {domain} n'a aucune compétence",
        MessageCode::CatalogueCompetenceDuplicate => "la compétence {competence} est définie deux fois",
        MessageCode::CatalogueCompetenceOutsideDomain => {
            "la compétence {competence} n'appartient pas au domaine {domain} : son identifiant doit commencer par {domain}"
        }
        MessageCode::CatalogueCompetenceNumbering => {
            "numérotation interrompue : la compétence n° {number} du domaine {domain} devrait s'appeler {expected}, pas {competence}"
        }
        MessageCode::CatalogueCompetenceEmpty => "la compétence {competence} n'a aucun critère",
        MessageCode::CatalogueCriterionOrder => {
            "le critère {criterion} est hors de l'ordre des catégories (réalisation, connaissances, attitudes, métacognition)"
        }
        MessageCode::CatalogueCriterionName => {
            "le critère {criterion} devrait s'appeler {expected} (compétence {competence}, catégorie « {category} », position {position})"
        }
        MessageCode::CatalogueSeedTextEmpty => {
            "le texte d'origine est vide : omettez le champ s'il n'y a pas de correction"
        }
        MessageCode::TextEmpty => "le texte est vide",
        MessageCode::CategoryPerformance => "Potentiel de réalisation",
        MessageCode::CategoryKnowledge => "Connaissances, compréhension",
        MessageCode::CategoryAttitudes => "Attitudes, valeurs, motivation",
        MessageCode::CategoryMetacognition => "Capacités métacognitives",
        MessageCode::Blank => "{what} est vide",
        MessageCode::OutOfRange => "{what} vaut {value} : attendu entre {min} et {max}",
        MessageCode::UnquotedDecimal => {
            "le nombre {number} doit être écrit entre guillemets (\"{number}\") pour rester exact : les nombres à virgule sans guillemets sont lus en virgule flottante binaire"
        }
        MessageCode::WeightRange => "la pondération vaut {weight} : attendu plus de 0 et au plus {max}",
        MessageCode::FieldCaseId => "l'identifiant du cas",
        MessageCode::FieldCaseVersion => "la version du cas",
        MessageCode::FieldCaseTitle => "le titre du cas",
        MessageCode::FieldSituation => "la situation",
        MessageCode::FieldTaskId => "l'identifiant de la tâche",
        MessageCode::FieldTaskPrompt => "l'énoncé de la tâche",
        MessageCode::FieldExaminerNote => "l'élément de réponse attendu",
        MessageCode::FieldFileName => "le nom du fichier",
        MessageCode::FieldPosition => "le point d'appréciation",
        MessageCode::FieldRubricId => "l'identifiant de la grille",
        MessageCode::FieldRubricVersion => "la version de la grille",
        MessageCode::FieldRubric => "la grille",
        MessageCode::FieldCriterion => "le critère",
        MessageCode::FieldReason => "la raison",
        MessageCode::FieldAuthor => "l'identifiant de l'auteur·e",
        MessageCode::FieldSchemeId => "l'identifiant du barème",
        MessageCode::FieldSchemeVersion => "la version du barème",
        MessageCode::FieldTitle => "le titre",
        MessageCode::FieldScaleMin => "la note minimale",
        MessageCode::FieldScaleMax => "la note maximale",
        MessageCode::FieldThresholdGrade => "la note du seuil",
        MessageCode::FieldMinOverall => "la note globale minimale",
        MessageCode::FieldMinPartGrade => "la note d'épreuve minimale",
        MessageCode::FieldMinPositionGrade => "la note minimale de point d'appréciation",
        MessageCode::FieldThreshold => "le seuil",
        MessageCode::FieldPartMinimum => "la note minimale de l'épreuve",
        MessageCode::FieldPositionMinimum => "la note minimale du point d'appréciation",
        MessageCode::FieldMaxShortfallSum => "la somme maximale des écarts",
        MessageCode::FieldPartRef => "l'identifiant d'épreuve",
        MessageCode::FieldPositionRef => "l'identifiant de point d'appréciation",
        MessageCode::FieldAssumption => "l'hypothèse",
        MessageCode::FieldCriterionId => "l'identifiant du critère",
        MessageCode::FieldCriterionTitle => "le titre du critère",
        MessageCode::FieldLevelDescriptor => "le descripteur du niveau",
        MessageCode::FieldSessionId => "l'identifiant de la session",
        MessageCode::FieldId => "l'identifiant",
        MessageCode::FieldVersion => "la version",
        MessageCode::FieldCandidateNumber => "le numéro de candidat·e",
        MessageCode::FieldExaminerId => "l'identifiant de l'expert·e",
        MessageCode::FieldArbiterId => "l'identifiant de l'expert·e arbitre",
        MessageCode::FieldBlueprintId => "l'identifiant du plan d'examen",
        MessageCode::FieldBlueprintVersion => "la version du plan d'examen",
        MessageCode::FieldPartId => "l'identifiant de l'épreuve",
        MessageCode::FieldPartTitle => "le titre de l'épreuve",
        MessageCode::FieldPositionId => "l'identifiant du point d'appréciation",
        MessageCode::FieldPositionTitle => "le titre du point d'appréciation",
        MessageCode::FieldTranslationBy => "l'auteur·e de la traduction",
        MessageCode::FieldTranslatedAssumption => "l'hypothèse traduite",
        MessageCode::FieldSourceId => "l'identifiant de l'original",
        MessageCode::FieldSourceVersion => "la version de l'original",
        MessageCode::CompetenceUnknown => {
            "la compétence {competence} n'existe pas dans le profil de qualification"
        }
        MessageCode::CompetenceSpelling => {
            "écrivez la compétence comme le profil : {expected} (trouvé {competence})"
        }
        MessageCode::CompetenceTwice => "la compétence {competence} est nommée deux fois",
        MessageCode::CriterionUnknown => {
            "le critère {criterion} n'existe pas dans le profil de qualification"
        }
        MessageCode::CriterionTwice => "le critère {criterion} est nommé deux fois",
        MessageCode::CriterionDuplicate => "le critère {criterion} est défini deux fois",
        MessageCode::PositionTwice => "le point d'appréciation {position} est nommé deux fois",
        MessageCode::PartTwice => "l'épreuve {part} est nommée deux fois",
        MessageCode::PositionNotInNamedBlueprint => {
            "le point d'appréciation {position} n'existe pas dans le plan d'examen {blueprint}"
        }
        MessageCode::PartNotInNamedBlueprint => {
            "l'épreuve {part} n'existe pas dans le plan d'examen {blueprint}"
        }
        MessageCode::CaseYear => "année {year} : attendu entre 2000 et 2100",
        MessageCode::CaseNoTask => "le cas ne pose aucune tâche au·à la candidat·e",
        MessageCode::CaseTranslationLanguage => {
            "le cas est rédigé en « {language} » : sa note de traduction porte sur cette langue, pas sur « {code} »"
        }
        MessageCode::CaseTaskDuplicate => "la tâche {task} est définie deux fois",
        MessageCode::CaseFileNameCharacters => {
            "le nom du fichier ne peut contenir ni « / », ni « \\ », ni caractère de contrôle"
        }
        MessageCode::CaseFileType => {
            "type de fichier {media_type} : seuls les PDF, PNG et JPEG sont acceptés"
        }
        MessageCode::CaseFileHash => {
            "attendu l'empreinte SHA-256 du fichier : 64 chiffres hexadécimaux en minuscules"
        }
        MessageCode::CaseFileTwice => "ce fichier est joint deux fois",
        MessageCode::CaseFileSize => "taille {size} octets : attendu entre 1 octet et {max} Mio",
        MessageCode::CaseNoPosition => {
            "le cas ne sert aucun point d'appréciation : nommez au moins une position du plan d'examen"
        }
        MessageCode::CaseCriterionLeftOutTwice => "le critère {criterion} est écarté deux fois",
        MessageCode::CaseAuthorTwice => "{author} est nommé·e deux fois",
        MessageCode::CaseRubricNotPinned => "la grille {rubric} du cas n'est pas épinglée par la session",
        MessageCode::CaseLeftOutUnknown => {
            "le critère {criterion} n'existe pas dans la grille {rubric} (point d'appréciation {position})"
        }
        MessageCode::CaseLeavesAllOut => {
            "le cas écarte tous les critères de la grille {rubric} : plus rien à évaluer"
        }
        MessageCode::SchemePassMark => {
            "la note suffisante ({pass_mark}) doit être supérieure à la note minimale ({min}) et au plus égale à la note maximale ({max})"
        }
        MessageCode::SchemePassFraction => {
            "la part des points donnant la note suffisante vaut {value} : elle doit être strictement entre 0 et 1 (par exemple \"0.55\" pour 55 %)"
        }
        MessageCode::SchemeTableMax => {
            "le maximum de points du tableau vaut {value} : attendu plus de 0 et au plus {max}"
        }
        MessageCode::SchemeTableEmpty => "le tableau de conversion est vide",
        MessageCode::SchemeFirstThreshold => {
            "le premier seuil doit commencer à 0 point (trouvé {value}) pour que tout total ait une note"
        }
        MessageCode::SchemeThresholdAboveMax => {
            "le seuil {threshold} dépasse le maximum de points du tableau ({max})"
        }
        MessageCode::SchemeThresholdsIncrease => {
            "les seuils doivent croître strictement : {threshold} suit {previous}"
        }
        MessageCode::SchemeGradesDecrease => {
            "les notes du tableau ne peuvent pas baisser quand les points montent : {grade} suit {previous}"
        }
        MessageCode::SchemeRoundingStep => {
            "le pas d'arrondi vaut {value} : attendu plus de 0 et au plus 1 (0.5 pour les demi-notes, 0.1 pour un dixième)"
        }
        MessageCode::SchemeThresholdTwice => "le seuil {threshold} est nommé deux fois",
        MessageCode::SchemeNoCondition => {
            "la règle de réussite n'a aucune condition : tout·e candidat·e réussirait"
        }
        MessageCode::SchemeDiscrepancyStep => "l'écart signalé vaut {value} : attendu plus de 0",
        MessageCode::SchemeMaxAttempts => "le nombre de tentatives doit être au moins 1",
        MessageCode::SchemeConversionNotObject => {
            "la conversion doit être un objet avec un champ kind, par exemple {\"kind\": \"linear\"} ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction, par exemple \"0.55\") ou table (champs max_points et thresholds)"
        }
        MessageCode::SchemeConversionKindMissing => {
            "le champ kind manque ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction, par exemple \"0.55\") ou table (champs max_points et thresholds)"
        }
        MessageCode::SchemeConversionKindUnknown => {
            "forme de conversion {kind} inconnue ; formes admises : linear (aucun autre champ), two_piece (champ pass_fraction, par exemple \"0.55\") ou table (champs max_points et thresholds)"
        }
        MessageCode::SchemeConversionField => "conversion {kind} : {problem}",
        MessageCode::SchemeConversionFieldAllowed => {
            "conversion {kind} : {problem} ; champs admis : {allowed}"
        }
        MessageCode::RubricNoCriterion => "la grille n'a aucun critère",
        MessageCode::RubricPerformanceCriterionUnknown => {
            "le critère de performance {criterion} n'existe pas dans le profil de qualification"
        }
        MessageCode::RubricPerformanceCriterionTwice => {
            "le critère de performance {criterion} est nommé deux fois"
        }
        MessageCode::RubricTwoLevels => "le critère {criterion} doit avoir au moins deux niveaux",
        MessageCode::RubricLevelPoints => "le niveau vaut {points} point(s) : attendu entre 0 et {max}",
        MessageCode::RubricLevelsDistinct => {
            "deux niveaux du critère {criterion} valent {points} point(s) : les points doivent être distincts"
        }
        MessageCode::RubricTopLevelZero => {
            "le niveau le plus haut du critère {criterion} doit valoir plus de 0 point"
        }
        MessageCode::BlueprintNoPart => "l'examen n'a aucune épreuve",
        MessageCode::BlueprintPartDuplicate => "l'épreuve {part} est définie deux fois",
        MessageCode::BlueprintExaminers => "{count} expert(s) par épreuve : attendu entre 1 et 10",
        MessageCode::BlueprintReconciliation => {
            "le mode de conciliation « {mode} » demande au moins 2 expert·e·s par épreuve, l'épreuve {part} en prévoit {count}"
        }
        MessageCode::BlueprintNoPosition => "l'épreuve {part} n'a aucun point d'appréciation",
        MessageCode::BlueprintPositionDuplicate => {
            "le point d'appréciation {position} est défini deux fois (les identifiants doivent être uniques dans tout l'examen)"
        }
        MessageCode::TranslationNoAssumptions => {
            "ce document n'a pas d'hypothèses à traduire (seuls le barème et le plan d'examen en ont)"
        }
        MessageCode::SessionRubricPinnedTwice => {
            "la grille {rubric} est épinglée deux fois : une session utilise une seule version de chaque grille"
        }
        MessageCode::SessionCasePinnedTwice => {
            "le cas {case} est épinglé deux fois : une session utilise une seule version de chaque cas"
        }
        MessageCode::CandidateFirstAttempt => "la première tentative porte le numéro 1",
        MessageCode::CandidateCarriedFirstAttempt => {
            "des notes reportées ne sont possibles qu'à partir de la deuxième tentative (attempt ≥ 2)"
        }
        MessageCode::CandidatePartCarriedTwice => "l'épreuve {part} est reportée deux fois",
        MessageCode::CandidateTwoCases => "deux cas sont attribués au point d'appréciation {position}",
        MessageCode::CandidatePositionTwice => {
            "le point d'appréciation {position} est saisi deux fois pour ce·tte candidat·e"
        }
        MessageCode::CandidateExaminerTwice => {
            "l'expert·e {examiner} a deux évaluations pour ce point d'appréciation"
        }
        MessageCode::CandidateArbiterEvaluated => {
            "l'expert·e {examiner} ne peut pas arbitrer un point d'appréciation qu'il ou elle a évalué"
        }
        MessageCode::CandidateEvaluationsIgnored => {
            "des évaluations sont saisies pour un·e candidat·e qui n'a pas passé l'examen (statut autre que present) : elles sont conservées mais ignorées pour la note"
        }
        MessageCode::CandidateNumberTwice => "le numéro de candidat·e {number} figure deux fois",
        MessageCode::InDocument => "{document} : {problem}",
        MessageCode::DocumentSession => "session",
        MessageCode::DocumentScheme => "barème",
        MessageCode::DocumentBlueprint => "plan d'examen",
        MessageCode::DocumentRubric => "grille {id}",
        MessageCode::DocumentCase => "cas {id}",
        MessageCode::SessionPinnedMismatch => {
            "le document épinglé est {pinned} version {pinned_version}, mais le document fourni est {id} version {version}"
        }
        MessageCode::SessionRubricNotProvided => "la grille {rubric} version {version} n'est pas fournie",
        MessageCode::SessionBlueprintRubricNotPinned => {
            "la grille {rubric}, utilisée par le plan d'examen, n'est pas épinglée (id et version)"
        }
        MessageCode::SessionCaseNotProvided => "le cas {case} version {version} n'est pas fourni",
        MessageCode::SessionCaseRubricNotPinned => {
            "la grille {rubric}, utilisée par le cas {case}, n'est pas épinglée (id et version)"
        }
        MessageCode::SessionAttemptsExceeded => "tentative n° {attempt} alors que le barème en admet {max}",
        MessageCode::SessionPartNotInBlueprint => "l'épreuve {part} n'existe pas dans le plan d'examen",
        MessageCode::SessionPositionNotInBlueprint => {
            "le point d'appréciation {position} n'existe pas dans le plan d'examen"
        }
        MessageCode::SessionCarriedGradeRange => {
            "seule une épreuve réussie est reportée ; la note {grade} doit être entre {pass} et {max}"
        }
        MessageCode::SessionCarriedGradeStep => {
            "la note reportée {grade} n'est pas arrondie au pas des notes d'épreuve du barème ({step}) : une note d'épreuve en est toujours un multiple"
        }
        MessageCode::SessionCarriedPartEvaluated => {
            "l'épreuve {part} est reportée d'une tentative précédente et ne peut pas être évaluée à nouveau"
        }
        MessageCode::SessionCaseNotPinned => "le cas {case} n'est pas épinglé par la session (cases)",
        MessageCode::SessionCaseDoesNotServe => {
            "le cas {case} ne sert pas le point d'appréciation {position} (il sert : {positions})"
        }
        MessageCode::SessionAnswerUnknownCriterion => {
            "le critère {criterion} n'existe pas dans la grille {rubric} (critères : {criteria})"
        }
        MessageCode::SessionAnswerDuplicate => {
            "le critère {criterion} a deux réponses dans la même évaluation"
        }
        MessageCode::SessionAnswerPointsOnLeftOut => {
            "le cas de ce point d'appréciation écarte le critère {criterion} (non évaluable par conception) : ne donnez pas de points"
        }
        MessageCode::SessionAnswerPointsAndNotAssessable => {
            "le critère {criterion} a à la fois des points et « non évaluable »"
        }
        MessageCode::SessionAnswerNotAssessableRefused => {
            "la grille n'admet pas « non évaluable » pour le critère {criterion}"
        }
        MessageCode::SessionAnswerNoSuchLevel => {
            "{points} point(s) ne correspond à aucun niveau du critère {criterion} (niveaux : {levels})"
        }
        MessageCode::SessionAnswerUnanswered => "le critère {criterion} n'a pas de réponse",
        MessageCode::CsvHeaderUnreadable => "En-tête illisible (guillemets ?).",
        MessageCode::CsvDuplicateColumn => {
            "La colonne « {column} » figure deux fois (même sens qu'une colonne précédente)."
        }
        MessageCode::CsvUnknownColumn => "Colonne inconnue « {column} » (séparateur lu : {delimiter}).",
        MessageCode::CsvUnknownColumnExpected => {
            "Colonne inconnue « {column} » (séparateur lu : {delimiter}). Colonnes attendues : {columns}."
        }
        MessageCode::CsvExpectedColumn => "« {name} » ({aliases})",
        MessageCode::CsvExpectedColumnOptional => "« {name} » ({aliases}, facultative)",
        MessageCode::CsvMissingColumn => {
            "Colonne obligatoire « {name} » absente (séparateur lu : {delimiter}) ; noms admis : {aliases}."
        }
        MessageCode::CsvLineUnreadable => "Ligne illisible (guillemets ?).",
        MessageCode::CsvValueCount => {
            "{count} valeur(s) au lieu de {expected} (séparateur lu : {delimiter})."
        }
        MessageCode::CsvDelimiterSemicolon => "point-virgule « ; »",
        MessageCode::CsvDelimiterComma => "virgule « , »",
        MessageCode::CsvDelimiterTab => "tabulation",
        MessageCode::CsvColumnNumber => "numéro",
        MessageCode::CsvColumnFamilyName => "nom",
        MessageCode::CsvColumnGivenName => "prénom",
        MessageCode::CsvColumnGivenNames => "prénoms",
        MessageCode::CsvColumnEmail => "courriel",
        MessageCode::CsvColumnPart => "épreuve",
        MessageCode::CsvColumnExaminer => "expert·e",
        MessageCode::CsvColumnExaminer1 => "expert·e 1",
        MessageCode::CsvColumnExaminer2 => "expert·e 2",
        MessageCode::CsvColumnPosition => "point d'appréciation",
        MessageCode::CsvColumnCase => "cas",
        MessageCode::CsvColumnVersion => "version",
        MessageCode::CsvColumnUsername => "nom d'utilisateur",
        MessageCode::CsvColumnRole => "rôle",
        MessageCode::CsvColumnCandidateNumber => "numéro de candidat·e",
        MessageCode::CsvColumnSchool => "école",
        MessageCode::CsvColumnDateOfBirth => "date de naissance",
        MessageCode::CsvColumnPlaceOfOrigin => "lieu d'origine",
        MessageCode::CsvColumnAddress => "adresse",
        MessageCode::CsvColumnExamLanguage => "langue d'examen",
        MessageCode::CsvColumnCanton => "canton de domicile",
        MessageCode::CsvColumnItem => "élément",
        MessageCode::CsvNoCandidate => "Le fichier ne contient aucun·e candidat·e.",
        MessageCode::CsvNoAccount => "Le fichier ne contient aucun compte.",
        MessageCode::CsvNoAssignment => "Le fichier ne contient aucune attribution.",
        MessageCode::DateForm => {
            "« {text} » n'est pas une date : écrivez-la jj.mm.aaaa (31.12.2027) ou aaaa-mm-jj (2027-12-31)."
        }
        MessageCode::DateNoSuchDay => "« {text} » : ce jour n'existe pas.",
        MessageCode::DateOutOfRange => "« {text} » : l'année doit être comprise entre 1900 et 2200.",
        MessageCode::DateOfBirthNotPast => "« {text} » : une date de naissance est passée.",
        MessageCode::FieldRequired => "Ce champ est obligatoire.",
        MessageCode::TextTooLong => "Au plus {max} caractères.",
        MessageCode::ControlCharacter => "Caractère de contrôle non admis.",
        MessageCode::NameRequired => "Obligatoire, 200 caractères au plus.",
        MessageCode::EmailInvalid => "Adresse électronique invalide.",
        MessageCode::AddressTooLong => "L'adresse compte au plus {max} lignes.",
        MessageCode::CantonUnknown => {
            "« {code} » n'est pas un canton : abréviation officielle à deux lettres (BE, ZH, VD…)."
        }
        MessageCode::ExamLanguageUnknown => "« {language} » n'est pas une langue d'examen : fr, de ou it.",
        MessageCode::CandidateNumberForm => {
            "Numéro de candidat·e invalide : 1 à 32 lettres, chiffres ou « - »."
        }
        MessageCode::CandidateNumberRepeated => "Le numéro {number} figure deux fois.",
        MessageCode::CandidateNumberEnrolled => "Le numéro {number} est déjà inscrit à cette session.",
        MessageCode::CandidateNumberNotInRegister => {
            "Le numéro {number} n'est inscrit à aucune session de la commission."
        }
        MessageCode::AccountUsernameInvalid => {
            "Nom d'utilisateur « {username} » invalide : 3 à 64 caractères, lettres minuscules, chiffres, « . », « _ » ou « - »."
        }
        MessageCode::AccountUsernameRepeated => {
            "Le nom d'utilisateur « {username} » figure déjà à la ligne {line}."
        }
        MessageCode::AccountUsernameExists => "Le nom d'utilisateur « {username} » existe déjà.",
        MessageCode::AccountBoardOneByOne => {
            "Les comptes de la commission se créent un à un, pas par fichier."
        }
        MessageCode::AccountRoleUnknown => {
            "Rôle inconnu « {role} » : expert·e, formateur·trice ou candidat·e."
        }
        MessageCode::AccountSchoolUnknown => "École inconnue « {school} ».",
        MessageCode::AccountTrainerNeedsSchool => "Un·e formateur·trice est rattaché·e à une école.",
        MessageCode::AccountSchoolNotAllowed => {
            "Seuls les formateur·trice·s et les candidat·e·s sont rattaché·e·s à une école."
        }
        MessageCode::AccountNumberNotCandidate => {
            "Seul un compte de candidat·e est lié à un numéro de candidat·e."
        }
        MessageCode::AccountNumberInvalid => "Numéro de candidat·e invalide « {number} ».",
        MessageCode::AccountNumberRepeated => "Le numéro « {number} » figure déjà à la ligne {line}.",
        MessageCode::AccountNumberUnknown => "Numéro de candidat·e inconnu « {number} » dans ce registre.",
        MessageCode::AccountNumberLinked => "Le numéro « {number} » est déjà lié à un autre compte.",
        MessageCode::AccountTooMany => "{count} comptes : au plus {max} par fichier ; partagez le fichier.",
        MessageCode::AssignmentNumberInvalid => "Numéro de candidat·e invalide.",
        MessageCode::AssignmentPartInvalid => "Épreuve invalide : 1 à 16 lettres, chiffres ou points.",
        MessageCode::AssignmentPartUnknown => "Épreuve inconnue du plan d'examen ; épreuves : {parts}.",
        MessageCode::AssignmentUserUnknown => "Utilisateur inconnu.",
        MessageCode::AssignmentNotExaminer => "Cet utilisateur n'a pas le rôle d'expert·e.",
        MessageCode::AssignmentNotSchoolTrainer => {
            "Un examen blanc est évalué par les formateur·trice·s de son école : cet utilisateur n'en est pas."
        }
        MessageCode::AssignmentNotEnrolled => "Ce numéro n'est pas inscrit à cette session.",
        MessageCode::AssignmentConflict => {
            "Conflit d'intérêts déclaré : {examiner} {reason} ({number}) ; attribuez un·e autre expert·e."
        }
        MessageCode::ConflictReasonTrained => "a formé la personne",
        MessageCode::ConflictReasonEmploys => "emploie la personne",
        MessageCode::ConflictReasonOther => "a un autre lien avec la personne",
        MessageCode::AssignmentNoExaminerColumn => {
            "Aucune colonne d'expert·e : ajoutez « expert·e » (une ligne par expert·e) ou « expert·e 1 » et « expert·e 2 » ; noms admis : expert·e, expert, experte, examiner, Experte, Expertin."
        }
        MessageCode::AssignmentNoExaminer => "Aucun·e expert·e sur cette ligne.",
        MessageCode::AssignmentRepeatsLine => "Cette ligne répète la ligne {line}.",
        MessageCode::BodyMissingField => "Le champ obligatoire « {name} » manque.",
        MessageCode::BodyUnknownField => "Champ inconnu « {name} ».",
        MessageCode::BodyUnknownFieldAdmitted => "Champ inconnu « {name} » ; champs admis : {admitted}.",
        MessageCode::BodyValueNotAdmitted => "Valeur {found} non admise ; valeurs possibles : {allowed}.",
        MessageCode::AssignmentExaminerTwice => {
            "{name} figure deux fois pour ce·tte candidat·e et cette épreuve."
        }
        MessageCode::AssignmentAlreadyOnLine => {
            "{name} est déjà attribué·e à ce·tte candidat·e pour cette épreuve à la ligne {line}."
        }
        MessageCode::AssignmentAlreadySaved => {
            "{name} est déjà attribué·e à ce·tte candidat·e pour cette épreuve (attribution enregistrée)."
        }
        MessageCode::ExamUnknownCriterion => "La grille {rubric} n'a pas de critère « {criterion} ».",
        MessageCode::ExamDuplicate => "Le critère {criterion} a deux réponses.",
        MessageCode::ExamPointsOnLeftOut => {
            "Le cas de ce·tte candidat·e écarte le critère {criterion} (non évaluable par conception) : pas de points."
        }
        MessageCode::ExamPointsAndNotAssessable => "Des points ou « non évaluable », pas les deux.",
        MessageCode::ExamNotAssessableRefused => {
            "Le critère {criterion} ne peut pas être marqué non évaluable."
        }
        MessageCode::ExamNoSuchLevel => {
            "Aucun niveau du critère {criterion} ne vaut {points} point(s) ; niveaux : {levels}."
        }
        MessageCode::ExamUnanswered => "Le critère {criterion} n'a pas de réponse.",
        MessageCode::ExamPointsUnreadable => "Points attendus sous forme de texte (\"2.5\") ou d'entier.",
        MessageCode::ExamRemarkTooLong => "{max} caractères au plus.",
        MessageCode::AppealDecidedNeedsDate => "Un recours tranché ou retiré a sa date de décision.",
        MessageCode::AppealOpenHasNoDecision => {
            "Un recours reçu ou en examen n'a pas encore de date de décision."
        }
        MessageCode::AppealDecisionBeforeReceipt => "La décision ne précède pas la réception du recours.",
        MessageCode::AppealConsultationWithoutRequest => {
            "La consultation suit une demande : sa date d'abord."
        }
        MessageCode::AppealConsultationBeforeRequest => "La consultation ne précède pas la demande.",
        MessageCode::AppealCorrectionUnknown => {
            "La correction proposée n° {id} n'est pas une correction de {number} dans cette session."
        }
        MessageCode::AppealSameCandidate => "Le recours reste celui du ou de la même candidat·e.",
        MessageCode::IdentitySignatoriesTooMany => "Au plus {max} signataires ({count} reçu·e·s).",
        MessageCode::IdentityPostalDays => "De 0 à 14 jours.",
        MessageCode::IdentitySittingsTooMany => "Au plus {max} dates d'examen.",
        MessageCode::FileEmpty => "Le fichier est vide.",
        MessageCode::LogoTooLarge => "Le logo dépasse {max} Kio.",
        MessageCode::LogoNotImage => {
            "Ce fichier n'est pas une image PNG, JPEG ou SVG (le type est reconnu au contenu, pas au nom)."
        }
        MessageCode::LogoSvgActive => {
            "Ce SVG contient des scripts, des gestionnaires d'événements ou des références externes : enregistrez-le comme image simple (ou en PNG)."
        }
        MessageCode::SittingCaseNotInBank => {
            "Ce cas n'est pas dans la banque de l'organisateur de la session : copiez-le d'abord dans votre banque."
        }
        MessageCode::SittingCaseDoesNotServe => {
            "Le cas {case} ne sert pas le point d'appréciation {position} (il sert : {positions})."
        }
        MessageCode::SittingCaseUnknown => "Cas introuvable dans la banque.",
        MessageCode::SittingCaseRowUnknown => "Cas {id} introuvable.",
        MessageCode::SittingEvaluated => {
            "Ce point d'appréciation est déjà évalué pour ce·tte candidat·e : son cas ne change plus."
        }
        MessageCode::SittingOtherVersion => {
            "La session utilise déjà une autre version de ce cas : une session n'utilise qu'une version de chaque cas."
        }
        MessageCode::SittingPositionUnknown => {
            "Le point d'appréciation {position} n'existe pas dans le plan d'examen."
        }
        MessageCode::SittingNoCase => "Choisissez au moins un cas.",
        MessageCode::SittingPositionEvaluated => {
            "Le point d'appréciation {position} est déjà évalué pour {number} : son cas ne change plus."
        }
        MessageCode::SittingCaseNotInOrganiserBank => {
            "Le cas « {case} » n'est pas dans la banque de l'organisateur de la session."
        }
        MessageCode::SittingNoSuchVersion => {
            "Le cas {case} n'a pas de version « {version} » (versions : {versions})."
        }
        MessageCode::SittingNoReadyVersion => {
            "Le cas {case} n'a aucune version prête (versions : {versions}) : passez-en une à « prêt » dans la banque."
        }
        MessageCode::SittingSeveralVersions => {
            "Le cas {case} a plusieurs versions prêtes ou utilisées ({versions}) : indiquez-la dans la colonne « version »."
        }
        MessageCode::SittingCandidateNotSitting => "{number} ne passe pas l'examen (retrait ou exclusion).",
        MessageCode::SittingCandidateNotEnrolled => "{number} n'est pas inscrit·e à cette session.",
        MessageCode::SittingNumberInvalid => "« {number} » n'est pas un numéro de candidat·e.",
        MessageCode::SittingPositionUnknownListed => {
            "Le point d'appréciation « {position} » n'existe pas dans le plan d'examen (points : {positions})."
        }
        MessageCode::SittingLineRepeats => {
            "La ligne {line} donne déjà un cas à {number} pour le point d'appréciation {position}."
        }
        MessageCode::SittingLineOtherVersion => {
            "La ligne {line} donne une autre version de ce cas : une session n'utilise qu'une version de chaque cas."
        }
        MessageCode::SittingSessionOtherVersion => {
            "La session utilise déjà une autre version du cas {case} : une session n'utilise qu'une version de chaque cas."
        }
        MessageCode::SittingNoRow => "Le fichier ne donne aucun cas.",
        MessageCode::SessionDocumentNotInBank => {
            "Ce document n'est pas dans votre banque (ou n'est pas de ce type)."
        }
        MessageCode::SessionDocumentDraft => {
            "{id} version {version} est un brouillon : marquez-le « prêt » d'abord."
        }
        MessageCode::SessionRubricIdMismatch => {
            "La grille porte l'identifiant « {found} » mais est donnée sous « {id} »."
        }
        MessageCode::SessionRubricMissing => {
            "La grille « {id} » utilisée par le plan d'examen n'est ni fournie ni livrée avec grille."
        }
        MessageCode::SessionTrainerNoSchool => {
            "Votre compte de formateur·trice n'est rattaché à aucune école."
        }
        MessageCode::SessionOfficialBoardOnly => {
            "Seule la commission d'examen crée des sessions officielles ; créez un examen blanc."
        }
        MessageCode::SessionMockByTrainer => {
            "Un examen blanc est créé par un·e formateur·trice de l'école qui le conduit."
        }
        MessageCode::SessionNameLength => "Le nom doit compter de 1 à 200 caractères.",
        MessageCode::SessionExamDateForm => "Date attendue au format AAAA-MM-JJ.",
        MessageCode::SessionCatalogueUnknown => "Catalogue inconnu ; seul « {id} » est disponible.",
        MessageCode::EnrolNoCandidate => "Au moins un·e candidat·e.",
        MessageCode::PanelPartUnknownListed => {
            "L'épreuve « {part} » n'est pas une épreuve du plan d'examen (épreuves : {parts})."
        }
        MessageCode::PanelPartUnknown => "L'épreuve « {part} » n'est pas une épreuve du plan d'examen.",
        MessageCode::PanelEmpty => "Le panel compte au moins un membre.",
        MessageCode::PanelNameForm => "Un nom de 1 à 100 caractères, sans caractère de contrôle.",
        MessageCode::PanelNameTwice => "« {name} » figure deux fois dans le panel.",
        MessageCode::PanelItemNotPosition => {
            "« {item} » n'est pas un point d'appréciation du plan d'examen de la session dans ce périmètre."
        }
        MessageCode::PanelItemNotCriterion => {
            "« {item} » n'est pas un critère (point:critère) du plan d'examen de la session dans ce périmètre."
        }
        MessageCode::PanelEstimateMissingEach => {
            "Estimation manquante pour « {item} » : chaque membre estime chaque élément."
        }
        MessageCode::PanelNotNumber => "« {text} » n'est pas un nombre (p. ex. 12.5).",
        MessageCode::PanelNegative => "{text} : une estimation n'est pas négative.",
        MessageCode::PanelAboveMax => "{text} points dépassent le maximum de « {item} » ({max}).",
        MessageCode::PanelProbability => "{text} : une probabilité est comprise entre 0 et 1.",
        MessageCode::PanelRangePoints => "{text} : entre 0 et {max} points.",
        MessageCode::PanelRangePercent => "{text} : entre 0 et {max} %.",
        MessageCode::PanelRangeNotNumber => "« {text} » n'est pas un nombre.",
        MessageCode::PanelCutOrder => "Le seuil le plus haut n'est pas sous le plus bas.",
        MessageCode::PanelFailOrder => "Le taux d'échec le plus haut n'est pas sous le plus bas.",
        MessageCode::PanelHeaderUnreadable => "En-tête illisible : {error}.",
        MessageCode::PanelFileEmpty => {
            "Le fichier est vide : une ligne d'en-tête (élément ; noms du panel) est attendue."
        }
        MessageCode::PanelNoMemberColumn => {
            "Au moins une colonne de membre du panel après la colonne des éléments."
        }
        MessageCode::PanelMemberNameMissing => "Le nom de ce membre du panel manque.",
        MessageCode::PanelLineUnreadable => "Ligne illisible : {error}.",
        MessageCode::PanelCellCount => {
            "{count} cellules au lieu de {expected} (l'élément et une par membre du panel)."
        }
        MessageCode::PanelItemMissing => "L'élément manque.",
        MessageCode::PanelRowTwice => "La ligne « {row} » figure deux fois.",
        MessageCode::PanelItemTwice => "L'élément « {item} » figure deux fois.",
        MessageCode::PanelEstimateMissing => "Estimation manquante pour « {item} ».",
        MessageCode::PanelRangeMissing => "Valeur « {row} » manquante : quatre valeurs ou aucune.",
        MessageCode::PanelNoItem => "Aucune ligne d'élément : une ligne par point d'appréciation ou critère.",
        MessageCode::PanelNone => "Aucun panel Angoff n'est enregistré pour cette session.",
        MessageCode::PanelAngoffNoDraft => {
            "Le seuil Angoff est à 0 point ou au maximum : pas de conversion en deux segments."
        }
        MessageCode::PanelHofsteeNoDraft => {
            "Pas de compromis de Hofstee pour ce panel : pas de projet de conversion."
        }
        MessageCode::WhatIfPartTwice => "L'épreuve {part} est déjà modifiée en /parts/{first}.",
        MessageCode::WhatIfPartUnknown => "Le plan d'examen n'a pas d'épreuve {part} (épreuves : {parts}).",
        MessageCode::WhatIfWeight => {
            "Le poids de l'épreuve {part} vaut {weight} : attendu plus de 0 et au plus {max}."
        }
        MessageCode::SelfAssessmentCandidateOnly => {
            "Seul un compte de candidat·e a une auto-évaluation enregistrée."
        }
        MessageCode::SelfAssessmentCriterionUnknown => {
            "Critère inconnu du profil de qualification : « {criterion} »."
        }
        MessageCode::SelfAssessmentLevel => {
            "Le niveau doit être un nombre entier de 1 (pas encore) à 4 (entièrement)."
        }
        MessageCode::SubmissionNotPdf => {
            "Ce fichier n'est pas un PDF (le type est reconnu au contenu, pas au nom)."
        }
        MessageCode::SubmissionFileName => {
            "Le nom du fichier doit compter de 1 à 200 caractères, sans caractère de contrôle."
        }
        MessageCode::SubmissionEvaluated => {
            "Ce point d'appréciation est déjà évalué pour ce·tte candidat·e : le travail évalué ne change plus."
        }
        MessageCode::SubmissionDeadlineForm => {
            "Date et heure attendues : AAAA-MM-JJTHH:MM (heure suisse), par ex. 2027-03-15T23:59."
        }
        MessageCode::SubmissionDeadlinePast => {
            "Le délai doit être dans le futur ; pour fermer le dépôt, supprimez-le."
        }
        MessageCode::SubmissionNotSitting => {
            "Vous ne passez pas (ou plus) cet examen : le dépôt est fermé pour vous."
        }
        MessageCode::ReminderNoSmtp => {
            "Aucun serveur SMTP n'est configuré (grille serve --smtp) : copiez les messages de la page d'avancement."
        }
        MessageCode::ReminderNothingPending => "{name} n'a rien en attente dans cette session",
        MessageCode::TotpCodeWrong => "Code incorrect ou déjà utilisé.",
        MessageCode::TotpActive => {
            "Un second facteur est déjà actif : désactivez-le d'abord pour en inscrire un autre."
        }
        MessageCode::TotpMandatory => {
            "Le second facteur est obligatoire pour votre rôle : il ne peut pas être désactivé."
        }
        MessageCode::PasswordTooShort => "Le mot de passe doit compter au moins 12 caractères.",
        MessageCode::PasswordTooLong => "Le mot de passe doit compter au plus 128 caractères.",
        MessageCode::PasswordHasUsername => "Le mot de passe ne doit pas reprendre le nom d'utilisateur.",
        MessageCode::PasswordTooCommon => {
            "Ce mot de passe est trop courant ou trop facile à deviner. Choisissez-en un plus long ou moins prévisible, par exemple quelques mots sans rapport entre eux."
        }
        MessageCode::AccountRoleTrainerSchool => {
            "Un·e formateur·trice est rattaché·e à une école : créez un compte de formateur·trice avec son école."
        }
        MessageCode::AccountRoleSchool => {
            "Ce compte est rattaché à une école : il ne peut être que formateur·trice ou candidat·e."
        }
        MessageCode::AccountRoleCandidate => {
            "Ce compte est lié à un numéro de candidat·e : il reste un compte de candidat·e."
        }
        MessageCode::AccountEmailInvalid => {
            "« {email} » n'est pas une adresse électronique (nom@domaine.ch)."
        }
        MessageCode::AccountNoSmtp => {
            "Aucun serveur SMTP n'est configuré (grille serve --smtp) : montrez le mot de passe provisoire et transmettez-le."
        }
        MessageCode::AccountNoEmail => {
            "Le compte {username} n'a pas d'adresse électronique : ajoutez-la, ou montrez le mot de passe provisoire."
        }
        MessageCode::AccountMailFailed => {
            "Le mot de passe provisoire n'a pas pu être envoyé ({reason}) : l'ancien ne vaut plus ; montrez-en un nouveau."
        }
        MessageCode::CaseBankAttachmentNotStored => {
            "Ce fichier n'est pas enregistré : créez le cas sans lui, puis joignez-le (ou importez un cas exporté avec ses annexes)."
        }
        MessageCode::CaseBankVersionTaken => {
            "Votre banque a déjà un cas avec cet identifiant et cette version : changez la version."
        }
        MessageCode::CaseBankAttachmentNotAttached => {
            "Ce fichier n'est pas joint au cas : ajoutez-le avec « Joindre un fichier »."
        }
        MessageCode::CaseBankVersionUsed => {
            "Cette version du cas est utilisée par une session et ne change plus : copiez-la en une nouvelle version."
        }
        MessageCode::CaseBankStateChange => {
            "Passage impossible de l'état « {from} » à « {to} » : brouillon ↔ prêt, ou utilisé → publié."
        }
        MessageCode::CaseBankReleaseUnpublished => {
            "Un cas ne se publie qu'une fois publiées les sessions qui l'ont utilisé."
        }
        MessageCode::CaseBankNotExport => {
            "Ce fichier n'est pas un cas exporté par grille (format grille-case, version 1)."
        }
        MessageCode::CaseBankFileTooLarge => "Fichier de plus de 10 Mio.",
        MessageCode::CaseBankBase64Unreadable => "Contenu base64 illisible.",
        MessageCode::CaseBankSha256Mismatch => "L'empreinte SHA-256 ne correspond pas au contenu du fichier.",
        MessageCode::CaseBankFileType => "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG.",
        MessageCode::CaseBankAttachmentMissing => "Le fichier de cette annexe manque dans l'export.",
        MessageCode::CaseBankAttachmentMismatch => {
            "Le type ou la taille annoncés ne correspondent pas au fichier."
        }
        MessageCode::CaseBankFileTypeSniffed => {
            "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG (le type est reconnu au contenu, pas au nom)."
        }
        MessageCode::CaseBankAlreadyAttached => "Ce fichier est déjà joint au cas.",
        MessageCode::PlanTooManyItems => "{max} compétences au plus.",
        MessageCode::PlanCompetenceUnknown => {
            "Compétence inconnue du profil de qualification : « {competence} »."
        }
        MessageCode::PlanCompetenceTwice => "La compétence {competence} figure deux fois.",
        MessageCode::PlanGoalRequired => "Indiquez l'objectif (1 à 2000 caractères).",
        MessageCode::PlanDueForm => "« {text} » n'est pas une date (AAAA-MM-JJ).",
        MessageCode::PlanCommentRequired => "Écrivez le commentaire (1 à 2000 caractères).",
        MessageCode::PlanConsultationClosed => {
            "La commission n'a pas ouvert la consultation des grilles remplies de cette session."
        }
        MessageCode::DocumentBankVersionUsed => {
            "Cette version est utilisée par une session et ne change plus : copiez-la en une nouvelle version."
        }
        MessageCode::DocumentBankVersionTaken => {
            "Votre banque a déjà ce document dans cette version : changez la version."
        }
        MessageCode::DocumentBankSchemeUnknown => "Barème introuvable dans votre banque.",
        MessageCode::DocumentBankNotScheme => "Ce document n'est pas un barème.",
        MessageCode::DocumentBankUsedByHand => {
            "Un document devient « utilisé » quand une session le fige, pas à la main."
        }
        MessageCode::DocumentBankVersionForm => "Version attendue, p. ex. 2027.",
        MessageCode::DocumentBankSessionUnknown => "Session introuvable.",
        MessageCode::DocumentBankVersionsTaken => {
            "Votre banque a déjà des documents en version « {version} » : choisissez une autre version."
        }
        MessageCode::ArbitrationPartUnknown => "Épreuve inconnue du plan d'examen.",
        MessageCode::ArbitrationPartNotArbitrated => {
            "L'épreuve {part} n'est pas conciliée par arbitrage dans le plan d'examen."
        }
        MessageCode::ArbitrationPositionUnknown => "Point d'appréciation inconnu dans cette épreuve.",
        MessageCode::ArbitrationExaminerUnknown => "Expert·e inconnu·e pour cette session.",
        MessageCode::AgreedJustificationTooLong => "La justification dépasse {max} caractères.",
        MessageCode::AgreedJustificationRequired => {
            "La note commune et votre note sont de part et d'autre de la note suffisante : une justification écrite est requise pour confirmer."
        }
        MessageCode::AgreedNotAgreedMode => {
            "L'épreuve {part} est conciliée par « {mode} » : pas d'évaluation commune."
        }
        MessageCode::CorrectionReasonRequired => "Le motif est obligatoire (2000 caractères au plus).",
        MessageCode::CorrectionNotSat => "Ce·tte candidat·e n'a pas passé l'examen : aucune note à corriger.",
        MessageCode::CorrectionKeepsDecision => {
            "Cette correction ne change pas la décision : enregistrez-la directement."
        }
        MessageCode::CorrectionRejectReasonRequired => {
            "Le motif du rejet est obligatoire (2000 caractères au plus) : l'auteur·e de la proposition le lit."
        }
        MessageCode::ScoringNoCandidate => {
            "Aucun·e candidat·e inscrit·e : l'évaluation ne peut pas commencer."
        }
        MessageCode::CandidateStatusUnknown => "Statut inconnu ; valeurs admises : {allowed}.",
        MessageCode::ExaminerHistorySessionNumber => {
            "« {text} » n'est pas un numéro de session : attendu des numéros séparés par des virgules, p. ex. 3,7."
        }
        MessageCode::ExaminerHistorySessionsUnknown => {
            "{username} n'a noté dans aucune session officielle numéro {unknown} : choisir parmi {known}."
        }
        MessageCode::ExaminerHistorySessionsNone => {
            "{username} n'a noté dans aucune session officielle numéro {unknown} : choisir parmi aucune."
        }
        MessageCode::AccommodationExtraMinutes => "De 0 à 600 minutes.",
        MessageCode::AccommodationNeedsName => {
            "Saisissez d'abord le nom et les prénoms de la personne : les aménagements sont gardés avec eux."
        }
        MessageCode::ReopenReasonRequired => {
            "Indiquez le motif (1 à 2000 caractères) : il est gardé dans le journal."
        }
        MessageCode::SchoolNameLength => "Le nom doit compter de 1 à 200 caractères.",
        MessageCode::ExamSessionNoDocuments => {
            "Cette session n'est figée sur aucun plan d'examen ni barème : elle ne peut pas être évaluée."
        }
        MessageCode::MailLanguageUnknown => "langue inconnue : fr, de ou it",
        MessageCode::CsvDecodeWorkbook => {
            "Ce fichier est un classeur (Excel .xlsx, .xls ou .ods), pas un fichier CSV : enregistrez-le sous « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."
        }
        MessageCode::CsvDecodeNotText => {
            "Ce fichier n'est pas du texte CSV : caractère {code} à la ligne {line}, colonne {column} (lu en {encoding}). Enregistrez-le sous « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."
        }
        MessageCode::CsvEncodingNameUtf8 => "UTF-8",
        MessageCode::CsvEncodingNameUtf8Bom => "UTF-8 avec BOM",
        MessageCode::CsvEncodingNameUtf16Le => "UTF-16 LE",
        MessageCode::CsvEncodingNameUtf16Be => "UTF-16 BE",
        MessageCode::CsvEncodingNameWindows1252 => "Windows-1252 (ISO-8859-1)",
        MessageCode::AccountDisabled => "Ce compte est désactivé ; adressez-vous à la commission d'examen.",
        MessageCode::AccountUsernameForm => {
            "3 à 64 caractères : lettres minuscules, chiffres, « . », « _ » ou « - »."
        }
        MessageCode::AccountNumberRoleCandidate => {
            "Seul un compte de rôle candidate est lié à un numéro de candidat·e."
        }
        MessageCode::AccountSchoolIdUnknown => "École inconnue.",
        MessageCode::AccountNumberNotInRegister => {
            "Numéro de candidat·e inconnu dans ce registre (celui de l'école choisie, ou celui de la commission sans école)."
        }
        MessageCode::SittingWarningAuthor => {
            "{names} a rédigé ou relu ce cas et évalue ce·tte candidat·e : changez d'expert·e ou de cas."
        }
        MessageCode::SittingWarningSatBefore => {
            "Ce·tte candidat·e a déjà passé ce cas lors d'une autre session."
        }
        MessageCode::TranslationFileLanguage => "la langue « {language} » n'est pas celle du nom du fichier",
        MessageCode::PasswordCurrentWrong => "Le mot de passe actuel est incorrect.",
        MessageCode::QueryInvalid => "Les paramètres de la requête sont incorrects : {error}.",
        MessageCode::QueryRequired => "Le paramètre « {parameter} » est obligatoire.",
        MessageCode::QueryValueAllowed => {
            "Le paramètre « {parameter} » a une valeur incorrecte (« {found} ») ; valeurs admises : {allowed}."
        }
        MessageCode::QueryValueAllowedUnseen => {
            "Le paramètre « {parameter} » a une valeur incorrecte ; valeurs admises : {allowed}."
        }
        MessageCode::QueryValueExpected => {
            "Le paramètre « {parameter} » a une valeur incorrecte (« {found} ») ; attendu : {expected}."
        }
        MessageCode::QueryValueExpectedUnseen => {
            "Le paramètre « {parameter} » a une valeur incorrecte ; attendu : {expected}."
        }
        MessageCode::QueryValueError => {
            "Le paramètre « {parameter} » a une valeur incorrecte (« {found} ») : {error}."
        }
        MessageCode::QueryValueErrorUnseen => {
            "Le paramètre « {parameter} » a une valeur incorrecte : {error}."
        }
        MessageCode::QueryExpectedRange => "{kind} de {minimum} à {maximum}",
        MessageCode::QueryExpectedNonNegative => "{kind} positif ou nul",
        MessageCode::QueryExpectedAtLeast => "{kind} d'au moins {minimum}",
        MessageCode::QueryExpectedAtMost => "{kind} d'au plus {maximum}",
        MessageCode::IfMatchForm => {
            "L'en-tête If-Match doit contenir la version reçue dans l'ETag, p. ex. \"3\" (reçu : {found})."
        }
        MessageCode::IfMatchFormUnreadable => {
            "L'en-tête If-Match doit contenir la version reçue dans l'ETag, p. ex. \"3\"."
        }
        MessageCode::QualityFlagSevere => {
            "{examiner} note plus sévèrement que l'ensemble des expert·e·s {panel} ({logits} logit, {z} erreurs types)."
        }
        MessageCode::QualityFlagSevereEffect => {
            "{examiner} note plus sévèrement que l'ensemble des expert·e·s {panel} ({logits} logit, {z} erreurs types) ; au seuil de réussite, l'effet est d'environ {effect} point de note."
        }
        MessageCode::QualityFlagLenient => {
            "{examiner} note plus généreusement que l'ensemble des expert·e·s {panel} ({logits} logit, {z} erreurs types)."
        }
        MessageCode::QualityFlagLenientEffect => {
            "{examiner} note plus généreusement que l'ensemble des expert·e·s {panel} ({logits} logit, {z} erreurs types) ; au seuil de réussite, l'effet est d'environ {effect} point de note."
        }
        MessageCode::QualityPanelPart => "de l'épreuve {part}",
        MessageCode::QualityPanelSessions => "des sessions réunies",
        MessageCode::QualityModelDisconnected => {
            "Les évaluations forment des groupes qu'aucun·e candidat·e ni critère ne relie : les sévérités de groupes différents ne se comparent pas."
        }
        MessageCode::QualityModelConfounded => {
            "Le plan d'évaluation ne sépare pas les facettes : des groupes d'expert·e·s ont évalué des groupes distincts de candidat·e·s, si bien qu'une différence de sévérité ne se distingue pas d'une différence de niveau."
        }
        MessageCode::QualityModelNothingToEstimate => {
            "Après exclusion des scores extrêmes, il ne reste aucune évaluation à analyser (trop peu de données)."
        }
        MessageCode::QualityModelInput => "Les données ne se prêtent pas à l'estimation : {error}.",
        MessageCode::QualityExcludedNoRatings => "aucune évaluation avec un niveau",
        MessageCode::QualityExcludedNoRatingsLeft => "toutes ses évaluations concernent des éléments exclus",
        MessageCode::QualityExcludedAllLowest => {
            "toutes ses évaluations au niveau le plus bas (score extrême)"
        }
        MessageCode::QualityExcludedAllHighest => {
            "toutes ses évaluations au niveau le plus haut (score extrême)"
        }
        MessageCode::QualityExcludedSingleLevel => "le critère n'a qu'un niveau",
        MessageCode::QualityExcludedSingleCategoryUsed => "un seul niveau utilisé sur cette échelle",
        MessageCode::SittingCaseDraft => {
            "Ce cas est un brouillon : marquez-le « prêt » avant de l'attribuer."
        }
        MessageCode::SittingCaseUnused => "Ce cas n'a encore été utilisé par aucune session.",
        MessageCode::SittingCaseFrozen => {
            "Cette version du cas est utilisée par une session et ne change plus : copiez-la en une nouvelle version."
        }
        _ => return None,
    })
}
