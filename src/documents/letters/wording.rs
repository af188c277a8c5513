//! The fixed wording of letters and acts in Russian, Kazakh and English. Each text cites the clause
//! of Law 94-V or of the operator's policy it rests on; the user may still edit every paragraph of
//! a draft before it is issued.

use super::kind::Kind;
use crate::base::language::Language::{self, En, Kk, Ru};

pub fn date(d: chrono::NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The document's kind as a register shows it and as the PDF title names it.
pub fn kind_name(kind: Kind, lang: Language) -> &'static str {
    use Kind as K;
    match (lang, kind) {
        (Ru, K::AccessExtract) => "Ответ на запрос сведений, с выпиской",
        (Ru, K::ConfirmUpdate) => "Подтверждение изменения данных",
        (Ru, K::ConfirmBlock) => "Подтверждение блокирования",
        (Ru, K::ConfirmUnblock) => "Подтверждение снятия блокирования",
        (Ru, K::ConfirmWithdrawal) => "Подтверждение отзыва согласия",
        (Ru, K::ConfirmMarketing) => "Подтверждение отказа от рассылки",
        (Ru, K::ActDestruction) => "Акт об уничтожении",
        (Ru, K::ActAnonymization) => "Акт об обезличивании",
        (Ru, K::Refusal) => "Мотивированный отказ",
        (Ru, K::NoData) => "Ответ: персональные данные не обрабатываются",
        (Ru, K::Answer) => "Ответ на обращение",
        (Ru, K::AuthorityAnswer) => "Ответ уполномоченному органу",
        (Ru, K::PeriodReport) => "Отчёт за период",
        (Ru, K::BreachNotice) => "Уведомление о нарушении",
        (Kk, K::AccessExtract) => "Мәлімет сұрауына жауап, үзінді көшірмемен",
        (Kk, K::ConfirmUpdate) => "Деректердің өзгертілгенін растау",
        (Kk, K::ConfirmBlock) => "Бұғатталғанын растау",
        (Kk, K::ConfirmUnblock) => "Бұғаттан шығарылғанын растау",
        (Kk, K::ConfirmWithdrawal) => "Келісімнің кері қайтарылғанын растау",
        (Kk, K::ConfirmMarketing) => "Таратудан бас тартуды растау",
        (Kk, K::ActDestruction) => "Жою актісі",
        (Kk, K::ActAnonymization) => "Иесіздендіру актісі",
        (Kk, K::Refusal) => "Дәлелді бас тарту",
        (Kk, K::NoData) => "Жауап: дербес деректер өңделмейді",
        (Kk, K::Answer) => "Өтінішке жауап",
        (Kk, K::AuthorityAnswer) => "Уәкілетті органға жауап",
        (Kk, K::PeriodReport) => "Кезең бойынша есеп",
        (Kk, K::BreachNotice) => "Бұзушылық туралы хабарлама",
        (En, K::AccessExtract) => "Answer to an access request, with extract",
        (En, K::ConfirmUpdate) => "Confirmation of update",
        (En, K::ConfirmBlock) => "Confirmation of blocking",
        (En, K::ConfirmUnblock) => "Confirmation of unblocking",
        (En, K::ConfirmWithdrawal) => "Confirmation of withdrawal of consent",
        (En, K::ConfirmMarketing) => "Confirmation of refusal of marketing",
        (En, K::ActDestruction) => "Act of destruction",
        (En, K::ActAnonymization) => "Act of anonymization",
        (En, K::Refusal) => "Reasoned refusal",
        (En, K::NoData) => "Answer: no personal data held",
        (En, K::Answer) => "Answer to a request",
        (En, K::AuthorityAnswer) => "Answer to the authorized body",
        (En, K::PeriodReport) => "Period report",
        (En, K::BreachNotice) => "Breach notice",
        (Ru, K::Acknowledgement) => "Уведомление о получении обращения",
        (Kk, K::Acknowledgement) => "Өтініштің алынғаны туралы хабарлама",
        (En, K::Acknowledgement) => "Acknowledgement of receipt",
        (Ru, K::ExtensionNotice) => "Уведомление о продлении срока",
        (Kk, K::ExtensionNotice) => "Мерзімнің ұзартылғаны туралы хабарлама",
        (En, K::ExtensionNotice) => "Notice of extension",
        (Ru, K::ClarificationRequest) => "Запрос подтверждения личности или уточнения",
        (Kk, K::ClarificationRequest) => "Жеке басты растау немесе нақтылау сұрауы",
        (En, K::ClarificationRequest) => "Request for identity confirmation or clarification",
    }
}

/// The heading under the addressee block.
pub fn title(kind: Kind, lang: Language) -> &'static str {
    use Kind as K;
    match (lang, kind) {
        (Ru, K::AccessExtract) => "О предоставлении сведений о персональных данных",
        (Ru, K::ConfirmUpdate) => "Об изменении персональных данных",
        (Ru, K::ConfirmBlock) => "О блокировании персональных данных",
        (Ru, K::ConfirmUnblock) => "О снятии блокирования персональных данных",
        (Ru, K::ConfirmWithdrawal) => "Об отзыве согласия на обработку персональных данных",
        (Ru, K::ConfirmMarketing) => "Об отказе от рекламных рассылок",
        (Ru, K::ActDestruction) => "об уничтожении персональных данных",
        (Ru, K::ActAnonymization) => "об обезличивании персональных данных",
        (Ru, K::Refusal) => "Об отказе в удовлетворении обращения",
        (Ru, K::NoData) => "О предоставлении сведений о персональных данных",
        (Ru, K::Answer) => "О рассмотрении обращения",
        (Ru, K::AuthorityAnswer) => "О представлении сведений",
        (Ru, K::PeriodReport) => "Отчёт об обращениях субъектов персональных данных",
        (Ru, K::BreachNotice) => "О нарушении безопасности персональных данных",
        (Kk, K::AccessExtract) => "Дербес деректер туралы мәліметтер беру туралы",
        (Kk, K::ConfirmUpdate) => "Дербес деректерді өзгерту туралы",
        (Kk, K::ConfirmBlock) => "Дербес деректерді бұғаттау туралы",
        (Kk, K::ConfirmUnblock) => "Дербес деректерді бұғаттан шығару туралы",
        (Kk, K::ConfirmWithdrawal) => {
            "Дербес деректерді өңдеуге келісімді кері қайтарып алу туралы"
        }
        (Kk, K::ConfirmMarketing) => "Жарнамалық таратудан бас тарту туралы",
        (Kk, K::ActDestruction) => "дербес деректерді жою туралы",
        (Kk, K::ActAnonymization) => "дербес деректерді иесіздендіру туралы",
        (Kk, K::Refusal) => "Өтінішті қанағаттандырудан бас тарту туралы",
        (Kk, K::NoData) => "Дербес деректер туралы мәліметтер беру туралы",
        (Kk, K::Answer) => "Өтінішті қарау туралы",
        (Kk, K::AuthorityAnswer) => "Мәліметтер ұсыну туралы",
        (Kk, K::PeriodReport) => "Дербес деректер субъектілерінің өтініштері туралы есеп",
        (Kk, K::BreachNotice) => "Дербес деректер қауіпсіздігінің бұзылуы туралы",
        (En, K::AccessExtract) => "Information about your personal data",
        (En, K::ConfirmUpdate) => "Update of your personal data",
        (En, K::ConfirmBlock) => "Blocking of your personal data",
        (En, K::ConfirmUnblock) => "Lifting the block on your personal data",
        (En, K::ConfirmWithdrawal) => "Withdrawal of consent to the processing of personal data",
        (En, K::ConfirmMarketing) => "Refusal of marketing messages",
        (En, K::ActDestruction) => "on the destruction of personal data",
        (En, K::ActAnonymization) => "on the anonymization of personal data",
        (En, K::Refusal) => "Refusal to satisfy your request",
        (En, K::NoData) => "Information about personal data",
        (En, K::Answer) => "Consideration of your request",
        (En, K::AuthorityAnswer) => "Provision of information",
        (En, K::PeriodReport) => "Report on requests of data subjects",
        (En, K::BreachNotice) => "Notice of a personal data security breach",
        (Ru, K::Acknowledgement) => "О получении обращения",
        (Kk, K::Acknowledgement) => "Өтініштің алынғаны туралы",
        (En, K::Acknowledgement) => "Your request has been received",
        (Ru, K::ExtensionNotice) => "О продлении срока рассмотрения обращения",
        (Kk, K::ExtensionNotice) => "Өтінішті қарау мерзімін ұзарту туралы",
        (En, K::ExtensionNotice) => "Extension of the time to answer your request",
        (Ru, K::ClarificationRequest) => "О предоставлении сведений для рассмотрения обращения",
        (Kk, K::ClarificationRequest) => "Өтінішті қарау үшін мәліметтер ұсыну туралы",
        (En, K::ClarificationRequest) => "Information needed to consider your request",
    }
}

pub fn act_word(lang: Language) -> &'static str {
    match lang {
        Ru => "АКТ",
        Kk => "АКТІ",
        En => "ACT",
    }
}

pub fn outgoing(lang: Language, number: &str, on: &str) -> [String; 2] {
    match lang {
        Ru => [format!("Исх. № {number}"), format!("от {on}")],
        Kk => [format!("Шығыс № {number}"), on.to_owned()],
        En => [format!("Ref. No. {number}"), format!("dated {on}")],
    }
}

/// "On your request of …" under the outgoing number.
pub fn in_reply(lang: Language, received: &str, incoming: &str) -> String {
    let incoming = incoming.trim();
    match (lang, incoming.is_empty()) {
        (Ru, true) => format!("На обращение от {received}"),
        (Ru, false) => format!("На № {incoming} от {received}"),
        (Kk, true) => format!("{received} өтінішке"),
        (Kk, false) => format!("{received} № {incoming} өтінішке"),
        (En, true) => format!("Re: request of {received}"),
        (En, false) => format!("Re: No. {incoming} of {received}"),
    }
}

/// The request as named inside a sentence: "ваше обращение от 20.11.2026 (вх. № 5)".
pub fn request_phrase(lang: Language, received: &str, incoming: &str) -> String {
    let incoming = incoming.trim();
    match (lang, incoming.is_empty()) {
        (Ru, true) => format!("ваше обращение от {received}"),
        (Ru, false) => format!("ваше обращение от {received} № {incoming}"),
        (Kk, true) => format!("{received} өтінішіңізді"),
        (Kk, false) => format!("{received} № {incoming} өтінішіңізді"),
        (En, true) => format!("your request of {received}"),
        (En, false) => format!("your request No. {incoming} of {received}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
    Unknown,
}

pub fn salutation(
    lang: Language,
    sex: Sex,
    given: &str,
    patronymic: &str,
    surname: &str,
) -> String {
    let name = [given, patronymic]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    match lang {
        Ru => match sex {
            Sex::Male => format!("Уважаемый {name}!"),
            Sex::Female => format!("Уважаемая {name}!"),
            Sex::Unknown => format!("Уважаемый(-ая) {name}!"),
        },
        Kk => format!("Құрметті {name}!"),
        En => {
            let formal = [given, surname]
                .iter()
                .filter(|s| !s.trim().is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            format!("Dear {formal},")
        }
    }
}

/// The body before the tables. `req` is [`request_phrase`]; `on` the date of the action.
pub fn intro(kind: Kind, lang: Language, req: &str, operator: &str, on: &str) -> Vec<String> {
    use Kind as K;
    let p = |s: String| vec![s];
    match (lang, kind) {
        (Ru, K::AccessExtract) => p(format!(
            "Рассмотрев {req}, в соответствии со статьёй 25 Закона Республики Казахстан «О персональных данных и их защите» сообщаем сведения о ваших персональных данных, которые обрабатывает {operator}: какие данные, для каких целей, на каком правовом основании, из какого источника, с какого времени и до какого срока они хранятся, кому передаются, а также данные вами согласия."
        )),
        (Kk, K::AccessExtract) => p(format!(
            "{req} қарап, «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 25-бабына сәйкес {operator} өңдейтін дербес деректеріңіз туралы мәліметтерді хабарлаймыз: қандай деректер, қандай мақсатта, қандай құқықтық негізде, қай көзден алынғаны, қашаннан бері және қай мерзімге дейін сақталатыны, кімге берілетіні, сондай-ақ сіз берген келісімдер."
        )),
        (En, K::AccessExtract) => p(format!(
            "Having considered {req}, in accordance with Article 25 of the Law of the Republic of Kazakhstan “On Personal Data and Its Protection” we inform you of the personal data about you that {operator} processes: which data, for which purposes, on which legal basis, from which source, since when and until when it is kept, to whom it is passed, and the consents you have given."
        )),
        (Ru, K::ConfirmUpdate) => p(format!(
            "Рассмотрев {req}, сообщаем, что {on} ваши персональные данные изменены и дополнены в соответствии с вашим обращением (статья 25 Закона Республики Казахстан «О персональных данных и их защите»)."
        )),
        (Kk, K::ConfirmUpdate) => p(format!(
            "{req} қарап, {on} дербес деректеріңіз өтінішіңізге сәйкес өзгертіліп, толықтырылғанын хабарлаймыз («Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 25-бабы)."
        )),
        (En, K::ConfirmUpdate) => p(format!(
            "Having considered {req}, we confirm that on {on} your personal data was corrected and completed as you asked (Article 25 of the Law “On Personal Data and Its Protection”)."
        )),
        (Ru, K::ConfirmBlock) => p(format!(
            "Рассмотрев {req}, сообщаем, что с {on} ваши персональные данные заблокированы: их обработка приостановлена до выяснения обстоятельств, указанных в обращении (статья 25 Закона Республики Казахстан «О персональных данных и их защите»)."
        )),
        (Kk, K::ConfirmBlock) => p(format!(
            "{req} қарап, {on} бастап дербес деректеріңіз бұғатталғанын хабарлаймыз: өтініште көрсетілген мән-жайлар анықталғанға дейін оларды өңдеу тоқтатылды («Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 25-бабы)."
        )),
        (En, K::ConfirmBlock) => p(format!(
            "Having considered {req}, we confirm that from {on} your personal data is blocked: its processing is suspended until the circumstances stated in your request are clarified (Article 25 of the Law “On Personal Data and Its Protection”)."
        )),
        (Ru, K::ConfirmUnblock) => p(format!(
            "Рассмотрев {req}, сообщаем, что {on} блокирование ваших персональных данных снято, поскольку нарушение условий их обработки не подтвердилось."
        )),
        (Kk, K::ConfirmUnblock) => p(format!(
            "{req} қарап, деректерді өңдеу шарттарының бұзылуы расталмағандықтан, {on} дербес деректеріңіз бұғаттан шығарылғанын хабарлаймыз."
        )),
        (En, K::ConfirmUnblock) => p(format!(
            "Having considered {req}, we confirm that on {on} the block on your personal data was lifted, since no breach of the conditions of its processing was confirmed."
        )),
        (Ru, K::ConfirmWithdrawal) => p(format!(
            "Рассмотрев {req}, сообщаем, что {on} ваш отзыв согласия на обработку персональных данных принят, и обработка, основанная на этом согласии, прекращена (пункт 8.4 Политики)."
        )),
        (Kk, K::ConfirmWithdrawal) => p(format!(
            "{req} қарап, {on} дербес деректерді өңдеуге келісімді кері қайтарып алуыңыз қабылданғанын және осы келісімге негізделген өңдеу тоқтатылғанын хабарлаймыз (Саясаттың 8.4-тармағы)."
        )),
        (En, K::ConfirmWithdrawal) => p(format!(
            "Having considered {req}, we confirm that on {on} your withdrawal of consent to the processing of personal data was accepted and the processing based on that consent has stopped (policy, clause 8.4)."
        )),
        (Ru, K::ConfirmMarketing) => p(format!(
            "Рассмотрев {req}, сообщаем, что {on} ваш отказ от получения уведомлений о новых продуктах и услугах и специальных предложениях принят. Ваши адреса внесены в список исключений, и рекламные сообщения вам больше не направляются (пункт 6.2 Политики)."
        )),
        (Kk, K::ConfirmMarketing) => p(format!(
            "{req} қарап, {on} жаңа өнімдер мен қызметтер және арнайы ұсыныстар туралы хабарламаларды алудан бас тартуыңыз қабылданғанын хабарлаймыз. Мекенжайларыңыз ерекшелік тізіміне енгізілді, сізге жарнамалық хабарламалар бұдан былай жіберілмейді (Саясаттың 6.2-тармағы)."
        )),
        (En, K::ConfirmMarketing) => p(format!(
            "Having considered {req}, we confirm that on {on} your refusal to receive notifications about new products and services and special offers was accepted. Your addresses are on our suppression list and no marketing messages will be sent to you (policy, clause 6.2)."
        )),
        (Ru, K::NoData) => p(format!(
            "Рассмотрев {req}, в соответствии со статьёй 25 Закона Республики Казахстан «О персональных данных и их защите» сообщаем, что {operator} не обрабатывает ваших персональных данных: сведений о вас в нашей базе персональных данных нет."
        )),
        (Kk, K::NoData) => p(format!(
            "{req} қарап, «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 25-бабына сәйкес {operator} сіздің дербес деректеріңізді өңдемейтінін хабарлаймыз: біздің дербес деректер базамызда сіз туралы мәліметтер жоқ."
        )),
        (En, K::NoData) => p(format!(
            "Having considered {req}, in accordance with Article 25 of the Law of the Republic of Kazakhstan “On Personal Data and Its Protection” we inform you that {operator} does not process personal data about you: our database of personal data holds no information about you."
        )),
        (Ru, K::Answer) => vec![
            format!("Рассмотрев {req}, сообщаем следующее (пункт 12.1 Политики)."),
            ANSWER_PLACEHOLDER[0].to_owned(),
        ],
        (Kk, K::Answer) => vec![
            format!("{req} қарап, мынаны хабарлаймыз (Саясаттың 12.1-тармағы)."),
            ANSWER_PLACEHOLDER[1].to_owned(),
        ],
        (En, K::Answer) => vec![
            format!("Having considered {req}, we inform you as follows (policy, clause 12.1)."),
            ANSWER_PLACEHOLDER[2].to_owned(),
        ],
        (Ru, K::Refusal) => p(format!(
            "Рассмотрев {req}, сообщаем, что в его удовлетворении отказано по следующему основанию:"
        )),
        (Kk, K::Refusal) => p(format!(
            "{req} қарап, оны қанағаттандырудан мынадай негіз бойынша бас тартылғанын хабарлаймыз:"
        )),
        (En, K::Refusal) => p(format!(
            "Having considered {req}, we inform you that it cannot be satisfied, on the following ground:"
        )),
        (Ru, K::AuthorityAnswer) => p(format!(
            "На ваш запрос {req} {operator} представляет запрашиваемые сведения. Сведения приведены в таблице ниже."
        )),
        (Kk, K::AuthorityAnswer) => p(format!(
            "{req} сұрауыңызға {operator} сұралған мәліметтерді ұсынады. Мәліметтер төмендегі кестеде келтірілген."
        )),
        (En, K::AuthorityAnswer) => p(format!(
            "In answer to your request {req}, {operator} provides the information requested. It is set out in the table below."
        )),
        (Ru, K::BreachNotice) => p(format!(
            "В соответствии с Законом Республики Казахстан «О персональных данных и их защите» (в редакции Закона от 11 декабря 2023 года № 44-VIII) {operator} уведомляет о нарушении безопасности персональных данных, выявленном {on}. Сведения о нарушении и принятых мерах приведены в таблице ниже."
        )),
        (Kk, K::BreachNotice) => p(format!(
            "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының Заңына (2023 жылғы 11 желтоқсандағы № 44-VIII Заңның редакциясында) сәйкес {operator} {on} анықталған дербес деректер қауіпсіздігінің бұзылуы туралы хабарлайды. Бұзушылық және қабылданған шаралар туралы мәліметтер төмендегі кестеде келтірілген."
        )),
        (En, K::BreachNotice) => p(format!(
            "Under the Law of the Republic of Kazakhstan “On Personal Data and Its Protection” (as amended by Law No. 44-VIII of 11 December 2023), {operator} gives notice of a personal data security breach detected on {on}. The breach and the measures taken are set out in the table below."
        )),
        (Ru, K::Acknowledgement) => p(format!(
            "Сообщаем, что {req} получено {on} и зарегистрировано {operator}."
        )),
        (Kk, K::Acknowledgement) => p(format!(
            "{req} {operator} {on} алғанын және тіркегенін хабарлаймыз."
        )),
        (En, K::Acknowledgement) => p(format!(
            "We confirm that {req} was received on {on} and registered by {operator}."
        )),
        (Ru, K::ExtensionNotice) => p(format!(
            "Сообщаем, что срок рассмотрения обращения ({req}) продлён до {on} по следующей причине:"
        )),
        (Kk, K::ExtensionNotice) => p(format!(
            "{req} қарау мерзімі мынадай себеппен {on} дейін ұзартылғанын хабарлаймыз:"
        )),
        (En, K::ExtensionNotice) => p(format!(
            "We inform you that the time to answer {req} has been extended until {on}, for the following reason:"
        )),
        // Filled in by the content from the request's pause (identity or clarification).
        (_, K::ClarificationRequest) => Vec::new(),
        (_, K::ActDestruction | K::ActAnonymization | K::PeriodReport) => Vec::new(),
    }
}

/// The answer's legal date in an acknowledgement.
pub fn due_line(lang: Language, due: &str) -> String {
    match lang {
        Ru => format!(
            "Ответ будет направлен вам не позднее {due} — в срок, установленный Законом Республики Казахстан «О персональных данных и их защите»."
        ),
        Kk => format!(
            "Жауап сізге «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының Заңында белгіленген мерзімде, {due} кешіктірілмей жіберіледі."
        ),
        En => format!(
            "You will receive our answer no later than {due}, within the time set by the Law of the Republic of Kazakhstan “On Personal Data and Its Protection”."
        ),
    }
}

/// What a request waiting for its requester asks of them: their identity confirmed, or what the
/// request means made clear (the user writes the question in place of the placeholder).
pub fn waiting_for(lang: Language, identity: bool, req: &str) -> Vec<String> {
    match (lang, identity) {
        (Ru, true) => vec![format!(
            "Для рассмотрения обращения ({req}) нам необходимо убедиться, что оно направлено вами: персональные данные сообщаются только самому субъекту или его законному представителю. Просим предъявить документ, удостоверяющий личность, при личном визите, или направить обращение, подписанное ЭЦП, через eGov."
        )],
        (Kk, true) => vec![format!(
            "{req} қарау үшін оны сіз жібергеніңізге көз жеткізуіміз қажет: дербес деректер тек субъектінің өзіне немесе оның заңды өкіліне хабарланады. Жеке басыңызды куәландыратын құжатты жеке келгенде көрсетуіңізді немесе eGov арқылы ЭЦҚ-мен қол қойылған өтініш жіберуіңізді сұраймыз."
        )],
        (En, true) => vec![format!(
            "To consider {req} we need to be sure it was sent by you: personal data is disclosed only to the person concerned or their legal representative. Please show an identity document in person, or send the request signed with a digital signature through eGov."
        )],
        (Ru, false) => vec![
            format!("Для рассмотрения обращения ({req}) просим уточнить следующее:"),
            CLARIFY_PLACEHOLDER[0].to_owned(),
        ],
        (Kk, false) => vec![
            format!("{req} қарау үшін мынаны нақтылауыңызды сұраймыз:"),
            CLARIFY_PLACEHOLDER[1].to_owned(),
        ],
        (En, false) => vec![
            format!("To consider {req}, please tell us the following:"),
            CLARIFY_PLACEHOLDER[2].to_owned(),
        ],
    }
}

/// The question the user must write in a request for clarification; a letter still holding it is
/// not issued.
pub const CLARIFY_PLACEHOLDER: [&str; 3] = [
    "[Что нужно уточнить]",
    "[Нені нақтылау керек]",
    "[What needs to be clarified]",
];

/// The request as the authorized body's letter is named ("от 20.11.2026 № 5").
pub fn authority_request(lang: Language, received: &str, incoming: &str) -> String {
    let incoming = incoming.trim();
    match (lang, incoming.is_empty()) {
        (Ru, true) => format!("от {received}"),
        (Ru, false) => format!("от {received} № {incoming}"),
        (Kk, true) => received.to_owned(),
        (Kk, false) => format!("{received} № {incoming}"),
        (En, true) => format!("of {received}"),
        (En, false) => format!("No. {incoming} of {received}"),
    }
}

/// The paragraph of a plain answer the user must write; a letter still holding it is not issued.
pub const ANSWER_PLACEHOLDER: [&str; 3] =
    ["[Текст ответа]", "[Жауап мәтіні]", "[Text of the answer]"];

/// The body after the tables.
pub fn outro(kind: Kind, lang: Language, authority: &str) -> Vec<String> {
    use Kind as K;
    let p = |s: &str| vec![s.to_owned()];
    match (lang, kind) {
        (Ru, K::AccessExtract) => p(
            "Сведения о персональных данных других лиц в настоящий ответ не включены (пункт 4.1 Политики). Вы вправе потребовать изменения и дополнения своих персональных данных, их блокирования или уничтожения, а также отозвать согласие на их обработку, направив нам обращение.",
        ),
        (Kk, K::AccessExtract) => p(
            "Басқа адамдардың дербес деректері туралы мәліметтер осы жауапқа енгізілмеген (Саясаттың 4.1-тармағы). Бізге өтініш жіберіп, дербес деректеріңізді өзгертуді және толықтыруды, бұғаттауды немесе жоюды талап етуге, сондай-ақ оларды өңдеуге келісімді кері қайтарып алуға құқығыңыз бар.",
        ),
        (En, K::AccessExtract) => p(
            "Information about other persons is not included in this answer (policy, clause 4.1). You may ask us to correct or complete your personal data, to block or destroy it, or withdraw your consent to its processing, by writing to us.",
        ),
        (Ru, K::ConfirmWithdrawal) => p(
            "Обработка, необходимая по требованию закона или для исполнения договора, стороной которого вы являетесь, продолжается в установленных законом пределах (пункты 4.1 и 7.3 Политики).",
        ),
        (Kk, K::ConfirmWithdrawal) => p(
            "Заң талабы бойынша немесе сіз тарап болып табылатын шартты орындау үшін қажетті өңдеу заңда белгіленген шекте жалғасады (Саясаттың 4.1 және 7.3-тармақтары).",
        ),
        (En, K::ConfirmWithdrawal) => p(
            "Processing required by law or for a contract to which you are a party continues within the limits the law sets (policy, clauses 4.1 and 7.3).",
        ),
        (Ru, K::ConfirmBlock) => p("О снятии блокирования мы сообщим вам дополнительно."),
        (Kk, K::ConfirmBlock) => p("Бұғаттан шығару туралы сізге қосымша хабарлаймыз."),
        (En, K::ConfirmBlock) => p("We will let you know when the block is lifted."),
        (Ru, K::NoData) => p(
            "Если вы полагаете, что ваши данные у нас всё же есть, сообщите, в связи с чем вы передавали их, и мы проверим ещё раз.",
        ),
        (Kk, K::NoData) => p(
            "Егер деректеріңіз бізде бар деп санасаңыз, оларды не себепті бергеніңізді хабарлаңыз, біз қайта тексереміз.",
        ),
        (En, K::NoData) => p(
            "If you believe we do hold data about you, tell us in what connection you gave it and we will check again.",
        ),
        (Ru, K::Refusal) => vec![format!(
            "Вы вправе обжаловать это решение в уполномоченный орган в сфере защиты персональных данных ({authority}) или в суд в порядке, установленном законодательством Республики Казахстан."
        )],
        (Kk, K::Refusal) => vec![format!(
            "Бұл шешімге дербес деректерді қорғау саласындағы уәкілетті органға ({authority}) немесе Қазақстан Республикасының заңнамасында белгіленген тәртіппен сотқа шағымдануға құқығыңыз бар."
        )],
        (En, K::Refusal) => vec![format!(
            "You may appeal this decision to the authorized body for the protection of personal data ({authority}) or to a court, as the law of the Republic of Kazakhstan provides."
        )],
        (Ru, K::ActDestruction) => p(
            "Уничтоженные персональные данные восстановлению не подлежат. Акт не содержит персональных данных: запись названа по её номеру в реестре. Акт хранится у оператора.",
        ),
        (Kk, K::ActDestruction) => p(
            "Жойылған дербес деректер қалпына келтірілмейді. Актіде дербес деректер жоқ: жазба тізілімдегі нөмірімен аталған. Акт операторда сақталады.",
        ),
        (En, K::ActDestruction) => p(
            "The destroyed personal data cannot be restored. The act holds no personal data: the record is named by its number in the registry. The act is kept by the operator.",
        ),
        (Ru, K::ActAnonymization) => p(
            "Идентифицирующие сведения заменены необратимо: по оставшимся данным определить субъекта невозможно. Акт не содержит персональных данных и хранится у оператора.",
        ),
        (Kk, K::ActAnonymization) => p(
            "Сәйкестендіретін мәліметтер қайтарылмайтындай ауыстырылды: қалған деректер бойынша субъектіні анықтау мүмкін емес. Актіде дербес деректер жоқ, ол операторда сақталады.",
        ),
        (En, K::ActAnonymization) => p(
            "The identifying data was replaced irreversibly: the subject cannot be identified from what remains. The act holds no personal data and is kept by the operator.",
        ),
        (Ru, K::BreachNotice) => p(
            "Субъекты, чьи данные затронуты, уведомляются оператором. О дальнейших мерах и результатах проверки сообщим дополнительно.",
        ),
        (Kk, K::BreachNotice) => p(
            "Деректері қозғалған субъектілерге оператор хабарлайды. Қосымша шаралар мен тексеру нәтижелері туралы қосымша хабарлаймыз.",
        ),
        (En, K::BreachNotice) => p(
            "The persons whose data is concerned are being informed by the operator. We will report further measures and the results of our investigation separately.",
        ),
        (Ru, K::ClarificationRequest) => p(
            "До получения ответа срок рассмотрения обращения приостановлен; он продолжится со дня, когда мы получим ваш ответ.",
        ),
        (Kk, K::ClarificationRequest) => p(
            "Жауап алынғанға дейін өтінішті қарау мерзімі тоқтатыла тұрады; ол жауабыңызды алған күннен бастап жалғасады.",
        ),
        (En, K::ClarificationRequest) => p(
            "Until we hear from you the time to answer your request is suspended; it runs again from the day we receive your reply.",
        ),
        _ => Vec::new(),
    }
}

/// Labels of a breach notice's fields.
pub fn breach_labels(lang: Language) -> [&'static str; 6] {
    match lang {
        Ru => [
            "Выявлено",
            "Что произошло",
            "Категории данных",
            "Затронуто субъектов",
            "Принятые меры",
            "Контактное лицо",
        ],
        Kk => [
            "Анықталды",
            "Не болды",
            "Деректер санаттары",
            "Қозғалған субъектілер",
            "Қабылданған шаралар",
            "Байланыс тұлғасы",
        ],
        En => [
            "Detected",
            "What happened",
            "Categories of data",
            "Persons affected",
            "Measures taken",
            "Contact person",
        ],
    }
}

/// The footer line: the person in charge of personal data (docs/domain.md §7).
pub fn responsible_line(lang: Language, who: &str) -> String {
    match lang {
        Ru => format!("Ответственный за организацию обработки персональных данных: {who}"),
        Kk => format!("Дербес деректерді өңдеуді ұйымдастыруға жауапты: {who}"),
        En => format!("Person in charge of personal data processing: {who}"),
    }
}

pub fn letterhead_lines(lang: Language, bin: &str, phones: &str, email: &str) -> Vec<String> {
    let mut v = Vec::new();
    if !bin.is_empty() {
        v.push(match lang {
            Ru => format!("БИН {bin}"),
            Kk => format!("БСН {bin}"),
            En => format!("BIN {bin}"),
        });
    }
    let mut contact = Vec::new();
    if !phones.is_empty() {
        contact.push(match lang {
            Ru => format!("тел. {phones}"),
            Kk => format!("тел. {phones}"),
            En => format!("tel. {phones}"),
        });
    }
    if !email.is_empty() {
        contact.push(format!("e-mail: {email}"));
    }
    if !contact.is_empty() {
        v.push(contact.join(" · "));
    }
    v
}

pub fn basis(code: &str, lang: Language) -> &'static str {
    match (lang, code) {
        (Ru, "consent") => "согласие субъекта",
        (Ru, "contract") => "договор с субъектом",
        (Ru, "law") => "требование закона",
        (Ru, "legitimate_interest") => "законный интерес оператора",
        (Ru, "public") => "общедоступные данные",
        (Kk, "consent") => "субъектінің келісімі",
        (Kk, "contract") => "субъектімен шарт",
        (Kk, "law") => "заң талабы",
        (Kk, "legitimate_interest") => "оператордың заңды мүддесі",
        (Kk, "public") => "жалпыға қолжетімді деректер",
        (En, "consent") => "consent of the subject",
        (En, "contract") => "contract with the subject",
        (En, "law") => "legal obligation",
        (En, "legitimate_interest") => "legitimate interest of the operator",
        (En, "public") => "publicly available data",
        _ => "—",
    }
}

pub fn consent_form(code: &str, lang: Language) -> &'static str {
    match (lang, code) {
        (Ru, "written") => "письменно",
        (Ru, "electronic") => "электронно",
        (Ru, "egov") => "через eGov",
        (Kk, "written") => "жазбаша",
        (Kk, "electronic") => "электрондық",
        (Kk, "egov") => "eGov арқылы",
        (En, "written") => "in writing",
        (En, "electronic") => "electronically",
        (En, "egov") => "through eGov",
        (Ru, _) => "иным способом",
        (Kk, _) => "өзге тәсілмен",
        (En, _) => "otherwise",
    }
}

pub fn consent_state(state: crate::registry::consent::State, lang: Language) -> &'static str {
    use crate::registry::consent::State as S;
    match (lang, state) {
        (Ru, S::Active) => "действует",
        (Ru, S::Expired) => "истекло",
        (Ru, S::Withdrawn) => "отозвано",
        (Kk, S::Active) => "күшінде",
        (Kk, S::Expired) => "мерзімі өтті",
        (Kk, S::Withdrawn) => "кері қайтарылды",
        (En, S::Active) => "in force",
        (En, S::Expired) => "expired",
        (En, S::Withdrawn) => "withdrawn",
    }
}

pub fn until_purpose(lang: Language) -> &'static str {
    match lang {
        Ru => "до достижения цели",
        Kk => "мақсатқа жеткенге дейін",
        En => "until the purpose is achieved",
    }
}

pub fn not_passed(lang: Language) -> &'static str {
    match lang {
        Ru => "не передаются",
        Kk => "берілмейді",
        En => "not passed on",
    }
}

pub fn third_parties(lang: Language) -> &'static str {
    match lang {
        Ru => "третьим лицам по согласию",
        Kk => "келісім бойынша үшінші тұлғаларға",
        En => "to third parties, by consent",
    }
}

pub fn cross_border(lang: Language, countries: &str) -> String {
    let countries = countries.trim();
    match (lang, countries.is_empty()) {
        (Ru, false) => format!("трансграничная передача: {countries}"),
        (Ru, true) => "трансграничная передача".to_owned(),
        (Kk, false) => format!("трансшекаралық беру: {countries}"),
        (Kk, true) => "трансшекаралық беру".to_owned(),
        (En, false) => format!("cross-border transfer: {countries}"),
        (En, true) => "cross-border transfer".to_owned(),
    }
}

pub fn none(lang: Language) -> &'static str {
    match lang {
        Ru => "нет",
        Kk => "жоқ",
        En => "none",
    }
}

pub fn identity_caption(lang: Language) -> &'static str {
    match lang {
        Ru => "1. Сведения о вас",
        Kk => "1. Сіз туралы мәліметтер",
        En => "1. About you",
    }
}

pub fn holdings_caption(lang: Language) -> &'static str {
    match lang {
        Ru => "2. Какие данные обрабатываются, зачем, на каком основании и до какого срока",
        Kk => "2. Қандай деректер, не үшін, қандай негізде және қай мерзімге дейін өңделеді",
        En => "2. Which data is processed, why, on which basis and until when",
    }
}

pub fn consents_caption(lang: Language) -> &'static str {
    match lang {
        Ru => "3. Ваши согласия",
        Kk => "3. Сіздің келісімдеріңіз",
        En => "3. Your consents",
    }
}

pub fn label_value(lang: Language) -> [&'static str; 2] {
    match lang {
        Ru => ["Сведение", "Значение"],
        Kk => ["Мәлімет", "Мәні"],
        En => ["Item", "Value"],
    }
}

pub fn identity_labels(lang: Language) -> [&'static str; 7] {
    match lang {
        Ru => [
            "Фамилия, имя, отчество",
            "ИИН",
            "Документ",
            "Дата рождения",
            "Электронная почта",
            "Телефон",
            "Почтовый адрес",
        ],
        Kk => [
            "Тегі, аты, әкесінің аты",
            "ЖСН",
            "Құжат",
            "Туған күні",
            "Электрондық пошта",
            "Телефон",
            "Пошталық мекенжай",
        ],
        En => [
            "Full name",
            "IIN",
            "Document",
            "Date of birth",
            "E-mail",
            "Phone",
            "Postal address",
        ],
    }
}

pub fn holdings_header(lang: Language) -> [&'static str; 7] {
    match lang {
        Ru => [
            "Категория данных",
            "Цель обработки",
            "Правовое основание",
            "Источник",
            "Хранятся с",
            "Срок хранения",
            "Передача",
        ],
        Kk => [
            "Деректер санаты",
            "Өңдеу мақсаты",
            "Құқықтық негіз",
            "Көзі",
            "Сақталу басы",
            "Сақтау мерзімі",
            "Беру",
        ],
        En => [
            "Data category",
            "Purpose",
            "Legal basis",
            "Source",
            "Held since",
            "Kept until",
            "Passed on",
        ],
    }
}

pub fn consents_header(lang: Language) -> [&'static str; 6] {
    match lang {
        Ru => [
            "Цель",
            "Дано",
            "Форма, версия политики",
            "Действует до",
            "Передача",
            "Состояние",
        ],
        Kk => [
            "Мақсат",
            "Берілді",
            "Нысаны, саясат нұсқасы",
            "Мерзімі",
            "Беру",
            "Күйі",
        ],
        En => [
            "Purpose",
            "Given",
            "Form, policy version",
            "Valid until",
            "Passed on",
            "State",
        ],
    }
}

/// Labels of an act's fields.
pub fn act_labels(lang: Language) -> [&'static str; 6] {
    match lang {
        Ru => [
            "Запись реестра",
            "Состав данных",
            "Основание",
            "Дата",
            "Способ",
            "Исполнитель",
        ],
        Kk => [
            "Тізілім жазбасы",
            "Деректер құрамы",
            "Негіз",
            "Күні",
            "Тәсілі",
            "Орындаушы",
        ],
        En => [
            "Registry record",
            "Data concerned",
            "Basis",
            "Date",
            "Method",
            "Carried out by",
        ],
    }
}

pub fn record(lang: Language, id: i64) -> String {
    match lang {
        Ru => format!("субъект № {id}"),
        Kk => format!("№ {id} субъект"),
        En => format!("subject No. {id}"),
    }
}

pub fn act_basis(lang: Language, req: Option<(&str, i64)>) -> String {
    match (lang, req) {
        (Ru, Some((on, id))) => format!(
            "обращение субъекта от {on} (№ {id} в журнале обращений); статья 18 Закона Республики Казахстан «О персональных данных и их защите»"
        ),
        (Kk, Some((on, id))) => format!(
            "субъектінің {on} өтініші (өтініштер журналындағы № {id}); «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 18-бабы"
        ),
        (En, Some((on, id))) => format!(
            "request of the subject of {on} (No. {id} in the requests register); Article 18 of the Law “On Personal Data and Its Protection”"
        ),
        (Ru, None) => "достижение цели обработки или истечение срока хранения; статья 18 Закона Республики Казахстан «О персональных данных и их защите»".to_owned(),
        (Kk, None) => "өңдеу мақсатына қол жеткізу немесе сақтау мерзімінің өтуі; «Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 18-бабы".to_owned(),
        (En, None) => "the purpose was achieved or the retention period ended; Article 18 of the Law “On Personal Data and Its Protection”".to_owned(),
    }
}

pub fn article_18(lang: Language) -> &'static str {
    match lang {
        Ru => "статья 18 Закона Республики Казахстан «О персональных данных и их защите»",
        Kk => "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 18-бабы",
        En => "Article 18 of the Law “On Personal Data and Its Protection”",
    }
}

pub fn act_method(kind: Kind, lang: Language) -> &'static str {
    match (lang, kind) {
        (Ru, Kind::ActAnonymization) => {
            "удаление фамилии, имени, отчества, ИИН, документа, контактов, адреса и дат рождения из зашифрованного реестра без возможности восстановления"
        }
        (Kk, Kind::ActAnonymization) => {
            "шифрланған тізілімнен тегі, аты, әкесінің аты, ЖСН, құжат, байланыс деректері, мекенжай мен туған күні қалпына келтіру мүмкіндігінсіз жойылды"
        }
        (En, Kind::ActAnonymization) => {
            "name, IIN, identity document, contacts, address and date of birth removed from the encrypted registry beyond recovery"
        }
        (Ru, _) => {
            "удаление записей из зашифрованного реестра с перезаписью освобождённых страниц базы данных"
        }
        (Kk, _) => {
            "шифрланған тізілімнен жазбаларды жою, дерекқордың босатылған беттерін қайта жазу арқылы"
        }
        (En, _) => "records deleted from the encrypted registry, freed database pages overwritten",
    }
}

/// What an anonymization kept, for the act's method.
pub fn kept(lang: Language, birth_year: bool, sex: bool, holdings: bool) -> String {
    let mut v: Vec<&str> = Vec::new();
    let words = match lang {
        Ru => [
            "год рождения",
            "пол",
            "категории, цели, основания и сроки обработки",
        ],
        Kk => [
            "туған жылы",
            "жынысы",
            "өңдеу санаттары, мақсаттары, негіздері мен мерзімдері",
        ],
        En => [
            "year of birth",
            "sex",
            "categories, purposes, bases and periods of processing",
        ],
    };
    for (on, w) in [birth_year, sex, holdings].into_iter().zip(words) {
        if on {
            v.push(w);
        }
    }
    match (lang, v.is_empty()) {
        (Ru, true) => "статистические сведения не сохранялись".to_owned(),
        (Kk, true) => "статистикалық мәліметтер сақталмады".to_owned(),
        (En, true) => "no statistical data kept".to_owned(),
        (Ru, false) => format!("сохранены статистические сведения: {}", v.join(", ")),
        (Kk, false) => format!("статистикалық мәліметтер сақталды: {}", v.join(", ")),
        (En, false) => format!("statistical data kept: {}", v.join(", ")),
    }
}

/// Several registry records: "subjects No. 3–5, 9 (4 in all)", ids in ascending order.
pub fn records(lang: Language, ids: &[i64]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len() && ids[j + 1] == ids[j] + 1 {
            j += 1;
        }
        parts.push(if j > i {
            format!("{}–{}", ids[i], ids[j])
        } else {
            ids[i].to_string()
        });
        i = j + 1;
    }
    let list = parts.join(", ");
    let n = ids.len();
    match lang {
        Ru => format!("субъекты № {list} (всего {n})"),
        Kk => format!("№ {list} субъектілер (барлығы {n})"),
        En => format!("subjects No. {list} ({n} in all)"),
    }
}

/// Holdings ended by a retention sweep while their subjects stay.
pub fn ended_holdings(lang: Language, holdings: u64, ids: &[i64]) -> String {
    let who = if ids.len() == 1 {
        record(lang, ids[0])
    } else {
        records(lang, ids)
    };
    match lang {
        Ru => format!("прекращено хранение отдельных данных ({holdings}): {who}"),
        Kk => format!("жекелеген деректерді сақтау тоқтатылды ({holdings}): {who}"),
        En => format!("single data items no longer kept ({holdings}): {who}"),
    }
}

pub fn carried_out(lang: Language) -> &'static str {
    match lang {
        Ru => "Исполнил(а)",
        Kk => "Орындаған",
        En => "Carried out by",
    }
}

pub fn approved(lang: Language) -> &'static str {
    match lang {
        Ru => "Утверждаю",
        Kk => "Бекітемін",
        En => "Approved by",
    }
}

pub fn responsible_role(lang: Language) -> &'static str {
    match lang {
        Ru => "Ответственный за организацию обработки персональных данных",
        Kk => "Дербес деректерді өңдеуді ұйымдастыруға жауапты",
        En => "Person in charge of personal data processing",
    }
}

pub fn period_caption(lang: Language) -> &'static str {
    match lang {
        Ru => "Обращения за период",
        Kk => "Кезеңдегі өтініштер",
        En => "Requests in the period",
    }
}

/// The clause of Law 94-V or of the policy a document rests on, as a sentence names it: the
/// `{clause}` of an edited wording (issue 19).
pub fn clause(kind: Kind, lang: Language) -> &'static str {
    use Kind as K;
    enum C {
        Art25,
        Policy(&'static str),
        Law,
    }
    let c = match kind {
        K::AccessExtract
        | K::NoData
        | K::ConfirmUpdate
        | K::ConfirmBlock
        | K::ConfirmUnblock
        | K::Refusal => C::Art25,
        K::ConfirmWithdrawal => C::Policy("8.4"),
        K::ConfirmMarketing => C::Policy("6.2"),
        K::Answer => C::Policy("12.1"),
        _ => C::Law,
    };
    match (c, lang) {
        (C::Art25, Ru) => {
            "статья 25 Закона Республики Казахстан «О персональных данных и их защите»"
        }
        (C::Art25, Kk) => {
            "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасы Заңының 25-бабы"
        }
        (C::Art25, En) => {
            "Article 25 of the Law of the Republic of Kazakhstan “On Personal Data and Its Protection”"
        }
        (C::Policy("8.4"), Ru) => "пункт 8.4 Политики",
        (C::Policy("8.4"), Kk) => "Саясаттың 8.4-тармағы",
        (C::Policy("8.4"), En) => "policy, clause 8.4",
        (C::Policy("6.2"), Ru) => "пункт 6.2 Политики",
        (C::Policy("6.2"), Kk) => "Саясаттың 6.2-тармағы",
        (C::Policy("6.2"), En) => "policy, clause 6.2",
        (C::Policy(_), Ru) => "пункт 12.1 Политики",
        (C::Policy(_), Kk) => "Саясаттың 12.1-тармағы",
        (C::Policy(_), En) => "policy, clause 12.1",
        (C::Law, Ru) => "Закон Республики Казахстан «О персональных данных и их защите»",
        (C::Law, Kk) => {
            "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының Заңы"
        }
        (C::Law, En) => {
            "the Law of the Republic of Kazakhstan “On Personal Data and Its Protection”"
        }
    }
}
