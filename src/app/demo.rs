//! The demo vault and generated vaults for benchmarks: realistic fake people — Kazakh and Russian
//! names, valid IINs, contacts, consents, holdings — and requests in every state, dated around `today`
//! so that some are overdue, some due today, some answered. Deterministic for a given seed.
//! None of these people exist; the IINs are valid by the checksum rules only.

use crate::base::calendar::Calendar;
use crate::base::deadline::{default_rule, due_date};
use crate::base::fold::fold;
use crate::base::iin::{Iin, Sex};
use crate::base::passphrase::Passphrase;
use crate::base::request_kind::RequestKind;
use crate::error::{Error, Result};
use crate::registry::index::Fts;
use crate::vault::Vault;
use crate::vault::journal::Entry;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{OptionalExtension, params};
use std::collections::HashSet;
use std::path::Path;

/// The demo vault's passphrase, shown on the first-run screen.
pub const DEMO_PASSPHRASE: &str = "demo";

#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub subjects: u32,
    pub requests: u32,
    pub seed: u64,
}

impl Spec {
    pub const DEMO: Spec = Spec {
        subjects: 240,
        requests: 60,
        seed: 94,
    };
}

const KZ_SURNAMES: &[&str] = &[
    "Әбдірахманов",
    "Жұмабаев",
    "Қасымов",
    "Нұрланов",
    "Серікбаев",
    "Төлегенов",
    "Оспанов",
    "Сәрсенбаев",
    "Ғабитов",
    "Мұқанов",
    "Құдайбергенов",
    "Әлімжанов",
    "Байжанов",
    "Есенов",
    "Үсенов",
    "Ілиясов",
    "Шәкенов",
    "Өтебаев",
    "Ұзақбаев",
    "Һашимов",
    "Нұрпейісов",
    "Қалиев",
];
const KZ_MALE: &[&str] = &[
    "Қайрат",
    "Ерлан",
    "Нұрлан",
    "Асқар",
    "Бауыржан",
    "Ғалым",
    "Дәурен",
    "Ерболат",
    "Мұрат",
    "Серік",
    "Талғат",
    "Әділ",
    "Жандос",
    "Ілияс",
    "Өмірзақ",
    "Ұлан",
];
const KZ_FEMALE: &[&str] = &[
    "Әйгерім",
    "Айгүл",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Қарлығаш",
    "Мәдина",
    "Сәуле",
    "Ұлжан",
    "Айнұр",
    "Ақерке",
    "Балжан",
    "Гүлмира",
    "Інжу",
    "Өркен",
    "Құралай",
];
const RU_SURNAMES: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Петров",
    "Волков",
    "Фёдоров",
    "Ким",
    "Пак",
    "Шевченко",
];
const RU_MALE: &[&str] = &[
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Евгений",
    "Игорь",
    "Артём",
];
const RU_FEMALE: &[&str] = &[
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Анна",
    "Юлия",
    "Алёна",
];
const FATHERS: &[&str] = &["Серік", "Нұрлан", "Қайрат", "Ерлан", "Асқар", "Мұрат"];
const RU_FATHERS: &[(&str, &str)] = &[
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Викторович", "Викторовна"),
    ("Игоревич", "Игоревна"),
];
const CITIES: &[&str] = &[
    "г. Алматы",
    "г. Астана",
    "г. Шымкент",
    "г. Қарағанды",
    "г. Ақтөбе",
    "г. Өскемен",
    "г. Павлодар",
];
const STREETS: &[&str] = &[
    "ул. Абая",
    "пр. Достық",
    "ул. Төле би",
    "ул. Қабанбай батыр",
    "пр. Назарбаева",
    "ул. Жібек жолы",
];
const MAIL_DOMAINS: &[&str] = &["mail.kz", "gmail.com", "inbox.kz", "yandex.kz"];

/// Latin letters for an e-mail address made from a Cyrillic name.
fn translit(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let t = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' | 'й' => "i",
            'к' | 'қ' => "k",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' | 'һ' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

fn feminine(surname: &str) -> String {
    if surname.ends_with("ов") || surname.ends_with("ев") || surname.ends_with("ин") {
        format!("{surname}а")
    } else {
        surname.to_owned()
    }
}

struct Person {
    iin: Option<String>,
    doc: Option<String>,
    surname: String,
    given: String,
    patronymic: String,
    birth: NaiveDate,
    address: String,
    email: String,
    phone_typed: String,
    phone_norm: String,
}

fn person(rng: &mut StdRng, i: u32, used: &mut HashSet<String>) -> Person {
    let kazakh = rng.random_bool(0.7);
    let female = rng.random_bool(0.5);
    let (surname, given, patronymic) = if kazakh {
        let s = *KZ_SURNAMES.choose(rng).unwrap_or(&"Оспанов");
        let father = *FATHERS.choose(rng).unwrap_or(&"Серік");
        if female {
            (
                feminine(s),
                KZ_FEMALE.choose(rng).unwrap_or(&"Әйгерім").to_string(),
                format!("{father}қызы"),
            )
        } else {
            (
                s.to_owned(),
                KZ_MALE.choose(rng).unwrap_or(&"Қайрат").to_string(),
                format!("{father}ұлы"),
            )
        }
    } else {
        let s = *RU_SURNAMES.choose(rng).unwrap_or(&"Иванов");
        let (m, f) = *RU_FATHERS
            .choose(rng)
            .unwrap_or(&("Сергеевич", "Сергеевна"));
        if female {
            (
                feminine(s),
                RU_FEMALE.choose(rng).unwrap_or(&"Анна").to_string(),
                f.to_owned(),
            )
        } else {
            (
                s.to_owned(),
                RU_MALE.choose(rng).unwrap_or(&"Сергей").to_string(),
                m.to_owned(),
            )
        }
    };
    let birth = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default()
        + Duration::days(rng.random_range(0..20_000));
    let sex = if female { Sex::Female } else { Sex::Male };
    // One in fifty is a foreigner registered by document number (docs/domain.md §4).
    let foreign = i % 50 == 49;
    let iin = if foreign {
        None
    } else {
        // IINs are unique in the registry: take the next free serial for this birth date.
        let start: u16 = rng.random_range(0..9000);
        (start..start + 1000)
            .filter_map(|s| Iin::compose(birth, sex, s))
            .map(|x| x.as_str())
            .find(|x| used.insert(x.clone()))
    };
    let doc = iin.is_none().then(|| format!("N{:08}", 10_000_000 + i));
    let n = rng.random_range(100_0000u32..999_9999);
    let op = ["701", "702", "705", "707", "747", "771", "775", "778"]
        .choose(rng)
        .copied()
        .unwrap_or("701");
    let phone_norm = format!("+7{op}{n:07}");
    let phone_typed = match i % 3 {
        0 => format!(
            "+7 ({op}) {} {} {}",
            &phone_norm[5..8],
            &phone_norm[8..10],
            &phone_norm[10..]
        ),
        1 => format!("8{op}{n:07}"),
        _ => format!(
            "+7 {op} {}-{}-{}",
            &phone_norm[5..8],
            &phone_norm[8..10],
            &phone_norm[10..]
        ),
    };
    let email = format!(
        "{}.{}{}@{}",
        translit(&given),
        translit(&surname),
        i,
        MAIL_DOMAINS.choose(rng).unwrap_or(&"mail.kz")
    );
    let address = format!(
        "{}, {}, д. {}, кв. {}",
        CITIES.choose(rng).unwrap_or(&"г. Алматы"),
        STREETS.choose(rng).unwrap_or(&"ул. Абая"),
        rng.random_range(1..200),
        rng.random_range(1..150)
    );
    Person {
        iin,
        doc,
        surname,
        given,
        patronymic,
        birth,
        address,
        email,
        phone_typed,
        phone_norm,
    }
}

const STATUSES: [&str; 5] = ["new", "in_progress", "answered", "refused", "closed"];

/// Fills an open vault with generated data in one transaction.
pub fn populate(vault: &mut Vault, spec: Spec, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let calendar = Calendar::builtin();
    let stamp = now.to_rfc3339();
    let entry = Entry::new("demo.generated").detail(format!(
        "{} subjects, {} requests",
        spec.subjects, spec.requests
    ));
    vault.write(now, &entry, |tx| {
        let purposes: Vec<i64> = {
            let mut st = tx.prepare("SELECT id FROM purpose ORDER BY id")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let categories: Vec<i64> = {
            let mut st = tx.prepare("SELECT id FROM data_category ORDER BY id")?;
            st.query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        tx.execute(
            "INSERT OR IGNORE INTO policy_version (version, effective_from) VALUES ('2024-01', '2024-01-15')",
            [],
        )?;
        let policy: i64 = tx.query_row(
            "SELECT id FROM policy_version WHERE version = '2024-01'",
            [],
            |r| r.get(0),
        )?;
        let mut ins_subject = tx.prepare(
            "INSERT INTO subject (iin, doc_number, surname, given_name, patronymic, birth_date, address,
                                  created_at, updated_at, sort_key, rank)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10)",
        )?;
        let mut ins_contact = tx.prepare(
            "INSERT INTO contact (subject_id, kind, value, normalized) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut ins_holding = tx.prepare(
            "INSERT INTO holding (subject_id, category_id, purpose_id, basis, source, since)
             VALUES (?1, ?2, ?3, ?4, 'website form', ?5)",
        )?;
        let mut ins_consent = tx.prepare(
            "INSERT INTO consent (subject_id, purpose_id, granted_at, form, policy_version_id,
                                  valid_until, data_list, document_ref, withdrawn_at, withdrawal_channel)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'name, e-mail, phone', ?7, ?8, ?9)",
        )?;
        let mut subject_ids = Vec::with_capacity(spec.subjects as usize);
        let mut used = HashSet::new();
        // Each person is written with their rank and search row at once (no second pass
        // rewriting every row). They are written in the order generated, not alphabetically, so
        // that ids are unrelated to the list order, as in a real registry (and benchmarks do not
        // read the list in file order by luck). Equal names keep id order, as the list does.
        let people: Vec<(String, Person)> = (0..spec.subjects)
            .map(|i| {
                let p = person(&mut rng, i, &mut used);
                (fold(&format!("{} {} {}", p.surname, p.given, p.patronymic)), p)
            })
            .collect();
        let mut order: Vec<usize> = (0..people.len()).collect();
        order.sort_by(|&a, &b| people[a].0.cmp(&people[b].0).then(a.cmp(&b)));
        let mut position = vec![0; people.len()];
        for (pos, &i) in order.iter().enumerate() {
            position[i] = pos;
        }
        // Into a registry that has people already, ranks are handed out once at the end.
        let fresh = tx.query_row("SELECT count(*) FROM subject", [], |r| r.get::<_, i64>(0))? == 0;
        // Search rows written together at the end (see `Fts::keep`): subjects' ranks, requests.
        let (mut ranked, mut requests) = (Vec::new(), Vec::new());
        for (i, (key, p)) in people.iter().enumerate() {
            let pos = position[i];
            let rank = fresh.then(|| crate::registry::rank::evenly(pos));
            ins_subject.execute(params![
                p.iin,
                p.doc,
                p.surname,
                p.given,
                p.patronymic,
                p.birth.to_string(),
                p.address,
                stamp,
                key,
                rank
            ])?;
            let id = tx.last_insert_rowid();
            subject_ids.push(id);
            ins_contact.execute(params![id, "email", p.email, p.email.to_lowercase()])?;
            ins_contact.execute(params![id, "phone", p.phone_typed, p.phone_norm])?;
            if let Some(rank) = rank {
                crate::registry::rank::keep_at(tx, id, rank)?;
                ranked.push(rank);
            }
            let since = today - Duration::days(rng.random_range(30..1500));
            for (k, &cat) in categories.iter().take(4).enumerate() {
                let purpose = purposes[k % 2.min(purposes.len())];
                ins_holding.execute(params![id, cat, purpose, "consent", since.to_string()])?;
            }
            // Everyone consented to informing; most also to marketing, and some withdrew it.
            for (k, &purpose) in purposes.iter().take(2).enumerate() {
                if k == 1 && rng.random_bool(0.25) {
                    continue;
                }
                let withdrawn = (k == 1 && rng.random_bool(0.15)).then(|| {
                    (since + Duration::days(rng.random_range(1..25))).to_string()
                });
                let channel = withdrawn.as_ref().map(|_| "email");
                let form = if rng.random_bool(0.8) { "electronic" } else { "written" };
                let valid_until = rng
                    .random_bool(0.2)
                    .then(|| (since + Duration::days(730)).to_string());
                ins_consent.execute(params![
                    id,
                    purpose,
                    since.to_string(),
                    form,
                    policy,
                    valid_until,
                    format!("WEB-{}", 1000 + pos),
                    withdrawn,
                    channel
                ])?;
            }
        }
        let mut ins_request = tx.prepare(
            "INSERT INTO request (subject_id, kind, channel, received_on, incoming_ref, body, status,
                                  due_on, answered_on, refusal_reason, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
        )?;
        for j in 0..spec.requests {
            let kind = RequestKind::ALL[(j as usize) % RequestKind::ALL.len()];
            let status = STATUSES[(j as usize / 2) % STATUSES.len()];
            let open = matches!(status, "new" | "in_progress");
            // Open requests cluster around today (some overdue, some due soon); closed ones are older.
            let received = if open {
                today - Duration::days(rng.random_range(0..6))
            } else {
                today - Duration::days(rng.random_range(10..200))
            };
            let due = due_date(&default_rule(kind), received, &calendar);
            let answered = (!open).then(|| due.min(today).to_string());
            let refusal = (status == "refused")
                .then_some("Law 94-V Art. 9: processing continues on a legal basis");
            let channel = if kind == RequestKind::Authority {
                "authority"
            } else {
                // The first four: email, paper, in person, eGov (an authority's come as such).
                crate::requests::request::Channel::ALL[(j as usize) % 4].name()
            };
            let subject = (kind != RequestKind::Authority && kind != RequestKind::Breach)
                .then(|| subject_ids.get(j as usize * 3 % subject_ids.len().max(1)).copied())
                .flatten();
            ins_request.execute(params![
                subject,
                kind.name(),
                channel,
                received.to_string(),
                format!("ВХ-{}/{}", 100 + j, received.format("%Y")),
                "",
                status,
                due.to_string(),
                answered,
                refusal,
                stamp
            ])?;
            if crate::registry::request_index::keep(tx, tx.last_insert_rowid())? {
                requests.push(tx.last_insert_rowid());
            }
        }
        // The batch's search rows, together (see `Fts::keep`).
        Fts::Subjects.index_kept(tx, &mut ranked)?;
        Fts::Requests.index_kept(tx, &mut requests)?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES ('demo', '1')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [],
        )?;
        if !fresh {
            crate::registry::rank::rebuild(tx)?;
        }
        Ok(())
    })
}

/// The demo operator's letterhead (a made-up company; the BIN passes the check digit).
pub fn letterhead(vault: &mut Vault, now: DateTime<Utc>) -> Result<()> {
    let head = crate::documents::letterhead::Letterhead {
        operator: "ТОО «Дербес Демо»".to_owned(),
        bin: "180540012343".to_owned(),
        address: "050000, г. Алматы, пр. Абая, 150, офис 12".to_owned(),
        phones: "+7 727 300 00 00".to_owned(),
        email: "privacy@derbes-demo.kz".to_owned(),
        responsible: "Сәрсенбаева Ә. Қ.".to_owned(),
        signer_name: "Жақсылықов Н. Ғ.".to_owned(),
        signer_position: "Директор".to_owned(),
        city: "г. Алматы".to_owned(),
        authority: String::new(),
        numbering: crate::documents::letterhead::Numbering::default(),
    };
    crate::documents::letterhead::save(vault, &head, now)
}

/// One issued document of each kind, in turn in Russian, Kazakh and English, so that a new user
/// sees real examples in the register.
pub fn issue_examples(vault: &mut Vault, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    use crate::base::language::Language;
    use crate::documents::letters::{Edits, Kind, Source};
    let langs = [Language::Ru, Language::Kk, Language::En];
    for (i, kind) in Kind::ALL.iter().enumerate() {
        let lang = langs[i % 3];
        // The letters between request and answer are for open requests; the examples answer
        // finished ones.
        if kind.is_interim() {
            continue;
        }
        let request_kind = match kind {
            Kind::AccessExtract => Some(RequestKind::Access),
            Kind::ConfirmUpdate => Some(RequestKind::Update),
            Kind::ConfirmBlock => Some(RequestKind::Block),
            Kind::ConfirmUnblock => Some(RequestKind::Unblock),
            Kind::ConfirmWithdrawal => Some(RequestKind::WithdrawConsent),
            Kind::ConfirmMarketing => Some(RequestKind::RefuseMarketing),
            Kind::ActDestruction | Kind::ActAnonymization => Some(RequestKind::Destroy),
            Kind::Refusal => Some(RequestKind::StopProcessing),
            Kind::NoData => Some(RequestKind::Access),
            Kind::Answer => Some(RequestKind::Other),
            Kind::AuthorityAnswer => Some(RequestKind::Authority),
            Kind::PeriodReport | Kind::BreachNotice => None,
            Kind::Acknowledgement | Kind::ExtensionNotice | Kind::ClarificationRequest => None,
        };
        let request_id = match request_kind {
            Some(k) => {
                // An answered or refused one when there is one, as a letter answers it.
                let wanted_status = if *kind == Kind::Refusal {
                    "refused"
                } else {
                    "answered"
                };
                // The answer that nothing is held goes to someone not in the registry; the
                // others to a registered person, whose request a confirmation was carried out for.
                // 0: anyone; 1: a registered person; 2: someone not in the registry.
                let who = match kind {
                    Kind::NoData => 2,
                    Kind::AuthorityAnswer | Kind::Answer | Kind::Refusal => 0,
                    _ => 1,
                };
                let found = vault
                    .conn()
                    .query_row(
                        "SELECT id FROM request WHERE kind = ?1
                         AND (?3 = 0 OR (subject_id IS NOT NULL) = (?3 = 1))
                         AND status <> (CASE WHEN ?2 = 'refused' THEN '' ELSE 'refused' END)
                         ORDER BY status = ?2 DESC, id LIMIT 1",
                        params![k.name(), wanted_status, who],
                        |r| r.get::<_, i64>(0),
                    )
                    .optional()?;
                match found {
                    None if *kind == Kind::NoData => Some(stranger_request(vault, today, now)?),
                    found => found,
                }
            }
            None => None,
        };
        if request_kind.is_some() && request_id.is_none() {
            continue;
        }
        if *kind == Kind::BreachNotice {
            breach_example(vault, lang, today, now)?;
            continue;
        }
        if kind.is_act() {
            // Acts come from carrying the action out: the destroy request's subject is destroyed,
            // and someone without open requests is anonymized (purpose achieved).
            match erasure_example(vault, *kind, lang, request_id, today, now) {
                // Run again (the benchmarks issue the examples many times): the person of the
                // destroy request is gone already; no second act for her.
                Err(Error::NotEditable { .. }) => {}
                other => other?,
            }
            continue;
        }
        // A confirmation states what was done: the demo does it first, from the request.
        if let Some(r) = request_id {
            if carry_out(vault, *kind, r, today, now).is_err() {
                // Not possible for this person (already blocked, say): no example of this kind.
                continue;
            }
            let req = crate::requests::request::get(vault.conn(), r, today)?;
            if crate::documents::letters::check_applies(
                vault.conn(),
                *kind,
                Some(&req),
                req.subject_id,
            )
            .is_err()
            {
                continue;
            }
        }
        // An extract for someone whose data all rests on a basis in force (else the example would
        // need the warning accepted): the first such access request.
        let mut needs_ack = false;
        let request_id = match (*kind, request_id) {
            (Kind::AccessExtract, Some(first)) => {
                let ids: Vec<i64> = vault
                    .conn()
                    .prepare(
                        "SELECT id FROM request WHERE kind = 'access' AND subject_id IS NOT NULL
                         ORDER BY status = 'answered' DESC, id",
                    )?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let clean = ids.into_iter().find(|id| {
                    let src = Source {
                        kind: Kind::AccessExtract,
                        lang,
                        request_id: Some(*id),
                        subject_id: None,
                        period: None,
                        corrects: None,
                        erasure: None,
                        breach: None,
                    };
                    crate::documents::letters::draft(vault.conn(), &src, today)
                        .is_ok_and(|d| d.warnings.is_empty())
                });
                // None such: the example is issued knowingly, the warning accepted.
                needs_ack = clean.is_none();
                Some(clean.unwrap_or(first))
            }
            (_, r) => r,
        };
        let mut edits = Edits {
            accept_warnings: needs_ack,
            ..Edits::default()
        };
        if *kind == Kind::Answer {
            edits.intro = Some(vec![
                "Рассмотрев ваше обращение, сообщаем следующее (пункт 12.1 Политики).".into(),
                "Копию политики конфиденциальности вы можете получить в нашем офисе или на сайте компании.".into(),
            ]);
        }
        let source = Source {
            kind: *kind,
            lang,
            request_id,
            subject_id: None,
            period: (*kind == Kind::PeriodReport).then_some(
                crate::requests::report::Period::Year {
                    year: chrono::Datelike::year(&today),
                },
            ),
            corrects: None,
            erasure: None,
            breach: None,
        };
        crate::documents::letters::issue(vault, &source, &edits, today, now)?;
    }
    Ok(())
}

/// An access request by e-mail from someone the registry does not hold.
fn stranger_request(vault: &mut Vault, today: NaiveDate, now: DateTime<Utc>) -> Result<i64> {
    let input = crate::requests::request::RequestInput {
        subject_id: None,
        requester: "Сидоров Сергей".into(),
        sender: "s.sidorov@example.kz".into(),
        kind: RequestKind::Access,
        channel: crate::requests::request::Channel::Email,
        received_on: today.to_string(),
        incoming_ref: String::new(),
        body: "Прошу сообщить, какие мои персональные данные вы обрабатываете.".into(),
        linked_to: None,
        representative: Default::default(),
    };
    crate::requests::request::create(vault, &input, today, now)
}

/// Carries out for request `r` the action its example confirmation states, as the window would.
fn carry_out(
    vault: &mut Vault,
    kind: crate::documents::letters::Kind,
    r: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::documents::letters::Kind;
    let Some(sid) = crate::requests::request::get(vault.conn(), r, today)?.subject_id else {
        return Ok(());
    };
    let basis = crate::registry::blocking::Basis {
        request_id: Some(r),
        text: "Обращение субъекта".into(),
    };
    match kind {
        Kind::ConfirmBlock => crate::registry::blocking::block(vault, sid, &basis, now)?,
        Kind::ConfirmUnblock => {
            let first = crate::registry::blocking::Basis {
                request_id: None,
                text: "Сообщение о нарушении условий обработки".into(),
            };
            crate::registry::blocking::block(vault, sid, &first, now)?;
            crate::registry::blocking::unblock(vault, sid, &basis, now)?;
        }
        Kind::ConfirmWithdrawal => {
            let active = crate::registry::consent::for_subject(vault.conn(), sid, today)?
                .into_iter()
                .find(|c| c.state == crate::registry::consent::State::Active);
            if let Some(c) = active {
                crate::registry::consent::withdraw(vault, c.id, today, "email", Some(r), now)?;
            }
        }
        Kind::ConfirmMarketing => {
            crate::registry::suppression::refuse_marketing(
                vault,
                sid,
                today,
                "email",
                Some(r),
                now,
            )?;
        }
        Kind::ConfirmUpdate => {
            let c = crate::registry::card::read_card(vault.conn(), sid, today)?;
            let input = crate::registry::subject::SubjectInput {
                iin: c.iin.unwrap_or_default(),
                doc_number: c.doc_number.unwrap_or_default(),
                surname: c.surname,
                given_name: c.given_name,
                patronymic: c.patronymic,
                birth_date: c.birth_date.unwrap_or_default(),
                emails: c.emails,
                phones: c.phones,
                address: if c.address.trim().is_empty() {
                    "г. Алматы, ул. Абая, 10".into()
                } else {
                    format!("{}, кв. 2", c.address.trim())
                },
                notes: c.notes,
                category_id: c.category_id,
            };
            crate::registry::subject::update_serving(vault, sid, &input, Some(r), today, now)?;
        }
        _ => {}
    }
    Ok(())
}

/// An incident found yesterday (a mail sent to the wrong addressees) and its notice.
fn breach_example(
    vault: &mut Vault,
    lang: crate::base::language::Language,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let cats: Vec<i64> = vault
        .conn()
        .prepare("SELECT id FROM data_category WHERE code IN ('name', 'contacts') ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let found = today.pred_opt().unwrap_or(today);
    let id = crate::requests::breach::register(
        vault,
        &crate::requests::breach::BreachInput {
            found_on: found.to_string(),
            found_at: "16:40".into(),
            description: "Рассылка с уведомлением о задолженности отправлена 37 клиентам с открытым списком адресатов: получатели видели адреса электронной почты друг друга.".into(),
            category_ids: cats,
            subjects_affected: 37,
            measures: "Получатели попросили удалить письмо; рассылки переведены на скрытые копии; сотрудник проинструктирован.".into(),
        },
        today,
        now,
    )?;
    let source = crate::documents::letters::Source {
        kind: crate::documents::letters::Kind::BreachNotice,
        lang,
        request_id: None,
        subject_id: None,
        period: None,
        corrects: None,
        erasure: None,
        breach: Some(id),
    };
    crate::documents::letters::issue(
        vault,
        &source,
        &crate::documents::letters::Edits::default(),
        today,
        now,
    )?;
    crate::requests::breach::notified(vault, id, today, "", today, now)
}

fn erasure_example(
    vault: &mut Vault,
    kind: crate::documents::letters::Kind,
    lang: crate::base::language::Language,
    request_id: Option<i64>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    use crate::erasure::{Action, Keep, Order};
    let (action, subject, basis) = if kind == crate::documents::letters::Kind::ActDestruction {
        let subject: Option<i64> = match request_id {
            Some(r) => vault
                .conn()
                .query_row("SELECT subject_id FROM request WHERE id = ?1", [r], |r| {
                    r.get(0)
                })
                .optional()?
                .flatten(),
            None => None,
        };
        (
            Action::Destroy,
            subject,
            crate::registry::blocking::Basis {
                request_id,
                text: String::new(),
            },
        )
    } else {
        let subject: Option<i64> = vault
            .conn()
            .query_row(
                "SELECT s.id FROM subject s WHERE s.status = 'active'
                   AND NOT EXISTS (SELECT 1 FROM request r WHERE r.subject_id = s.id)
                 ORDER BY s.id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        (
            Action::Anonymize,
            subject,
            crate::registry::blocking::Basis {
                request_id: None,
                text: "Договор исполнен, цель обработки достигнута".to_owned(),
            },
        )
    };
    let Some(subject) = subject else {
        return Ok(());
    };
    let order = Order {
        action,
        subjects: vec![subject],
        basis,
        keep: Keep {
            birth_year: true,
            sex: true,
            holdings: true,
        },
        lang,
    };
    crate::erasure::run(vault, &order, today, now)?;
    Ok(())
}

/// Opens the demo vault at `path`, generating it first when there is none.
pub fn open_or_create(path: &Path, today: NaiveDate, now: DateTime<Utc>) -> Result<Vault> {
    let pass = Passphrase::existing(DEMO_PASSPHRASE)?;
    if path.exists() {
        return Vault::open(path, &pass, now);
    }
    // Built under a temporary name and renamed when complete, like `init` (issue 16: a kill
    // mid-build left a half-built vault under the final name). The final name's lock is held
    // throughout, so two builders cannot race; a leftover of a killed build is removed first.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let guard = crate::vault::lockfile::LockFile::acquire(path)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".building");
    let tmp = std::path::PathBuf::from(tmp);
    let discard = |p: &Path| {
        let _ = std::fs::remove_file(p);
        let _ = std::fs::remove_file(crate::vault::lockfile::lock_path(p));
        for suffix in ["-journal", "-wal", "-shm"] {
            let mut side = p.as_os_str().to_owned();
            side.push(suffix);
            let _ = std::fs::remove_file(side);
        }
    };
    discard(&tmp);
    let built = (|| {
        let mut vault = Vault::create(&tmp, &pass, now)?;
        populate(&mut vault, Spec::DEMO, today, now)?;
        letterhead(&mut vault, now)?;
        issue_examples(&mut vault, today, now)?;
        vault.lock();
        Ok(())
    })();
    if let Err(e) = built {
        discard(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, path)?;
    let _ = std::fs::remove_file(crate::vault::lockfile::lock_path(&tmp));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::File::open(dir)?.sync_all()?;
    }
    drop(guard);
    Vault::open(path, &pass, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translit_kazakh() {
        assert_eq!(translit("Әйгерім"), "aigerim");
        assert_eq!(translit("Қайрат"), "kairat");
    }

    #[test]
    fn people_have_valid_iins() {
        let mut rng = StdRng::seed_from_u64(1);
        let mut used = HashSet::new();
        for i in 0..500 {
            let p = person(&mut rng, i, &mut used);
            match p.iin {
                Some(iin) => {
                    let parsed = Iin::parse(&iin).unwrap();
                    assert_eq!(parsed.birth_date(), p.birth);
                }
                None => assert!(p.doc.is_some()),
            }
        }
    }
}
