//! What goes into each document, read from the vault: the addressee, the reference to the request,
//! the wording, and the tables (the extract of what is held about the one person concerned, the
//! act's fields, the period report).

use super::draft::{Captioned, Draft, Source};
use super::kind::Kind;
use super::wording::{self as w, Sex, date};
use crate::base::language::Language;
use crate::documents::letterhead::Letterhead;
use crate::error::Result;
use crate::files::pdf::{Align, TableSpec};
use crate::registry::card::Card;
use crate::requests::request::Request;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::HashMap;

pub(super) fn make(
    conn: &Connection,
    source: &Source,
    request: Option<&Request>,
    subject_id: Option<i64>,
    head: &Letterhead,
    today: NaiveDate,
) -> Result<Draft> {
    let lang = source.lang;
    let kind = source.kind;
    // An act reads what was erased from its batch: the person's card is gone by then.
    let facts = match (kind.is_act(), source.erasure) {
        (true, Some(b)) => Some(crate::erasure::record::batch_facts(conn, b)?),
        _ => None,
    };
    let card = if kind.is_act() {
        None
    } else {
        subject_id
            .map(|id| crate::registry::card::read_card(conn, id, today))
            .transpose()?
    };
    let breach = match (kind, source.breach) {
        (Kind::BreachNotice, Some(b)) => Some(crate::requests::breach::get(conn, b, today)?),
        _ => None,
    };
    let on = date(
        facts
            .as_ref()
            .map(|f| f.done_on)
            .or(breach.as_ref().map(|b| b.found_on))
            .unwrap_or(today),
    );
    let received = request.map(|r| date(r.received_on)).unwrap_or_default();
    let incoming = request.map(|r| r.incoming_ref.as_str()).unwrap_or("");
    let operator = if head.operator.is_empty() {
        "—"
    } else {
        head.operator.as_str()
    };
    let req_phrase = if kind == Kind::AuthorityAnswer {
        w::authority_request(lang, &received, incoming)
    } else {
        w::request_phrase(lang, &received, incoming)
    };
    // The user's wording for this kind and language, when there is one (issue 19).
    let custom = if super::template::editable(kind) {
        let t = super::template::current(conn, kind, lang)?;
        t.version.is_some().then_some(t)
    } else {
        None
    };
    let values = |date_value: &str| super::template::Values {
        name: card
            .as_ref()
            .map(full_name)
            .or(request.map(|r| r.requester.trim().to_owned()))
            .unwrap_or_default(),
        request: req_phrase.clone(),
        received: received.clone(),
        incoming: incoming.to_owned(),
        due: request.map(|r| date(r.effective_due())).unwrap_or_default(),
        date: date_value.to_owned(),
        operator: operator.to_owned(),
        authority: head.authority.clone(),
        clause: w::clause(kind, lang).to_owned(),
    };
    let from_template = |date_value: &str| -> Option<Vec<String>> {
        custom.as_ref().map(|t| {
            let v = values(date_value);
            t.intro
                .iter()
                .map(|p| super::template::fill(p, &v))
                .collect()
        })
    };
    let mut intro = match from_template(&on) {
        Some(p) => p,
        None => {
            let mut intro = w::intro(kind, lang, &req_phrase, operator, &on);
            if request.is_none() {
                // Issued without a request (a subject's own call, an act on retention): the
                // phrase about the request is dropped from the first sentence.
                intro = intro
                    .into_iter()
                    .map(|p| without_request(&p, lang, &req_phrase))
                    .collect();
            }
            intro
        }
    };
    // The letters between request and answer say the dates and reasons the request shows.
    match (kind, request) {
        (Kind::Acknowledgement, Some(r)) => {
            let received_on = date(r.received_on);
            intro = from_template(&received_on)
                .unwrap_or_else(|| w::intro(kind, lang, &req_phrase, operator, &received_on));
            intro.push(w::due_line(lang, &date(r.effective_due())));
        }
        (Kind::ExtensionNotice, Some(r)) => {
            let until = date(r.effective_due());
            intro = from_template(&until)
                .unwrap_or_else(|| w::intro(kind, lang, &req_phrase, operator, &until));
            intro.push(
                r.extension_reason
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| "…".to_owned()),
            );
        }
        (Kind::ClarificationRequest, Some(r)) => {
            let identity = r
                .pauses
                .last()
                .is_some_and(|p| p.reason == crate::requests::request::PauseReason::Identity);
            intro = match from_template(&on) {
                // The user's wording is for a clarification; an identity check keeps the built-in
                // one, which says what proves it.
                Some(p) if !identity => p,
                _ => w::waiting_for(lang, identity, &req_phrase),
            };
        }
        _ => {}
    }
    if kind == Kind::Refusal {
        let reason = request
            .and_then(|r| r.refusal_reason.clone())
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "…".to_owned());
        intro.push(reason);
    }
    let addressee = match &facts {
        Some(f) => vec![act_records(lang, f)],
        None => addressee(kind, request, card.as_ref(), head),
    };
    let reference = match (kind.is_act(), request) {
        (false, Some(r)) => vec![w::in_reply(lang, &date(r.received_on), &r.incoming_ref)],
        _ => Vec::new(),
    };
    let salutation = match (kind, card.as_ref()) {
        (Kind::AuthorityAnswer | Kind::PeriodReport | Kind::BreachNotice, _) => String::new(),
        _ if kind.is_act() => String::new(),
        (_, Some(c)) => w::salutation(lang, sex(c), &c.given_name, &c.patronymic, &c.surname),
        (_, None) => request
            .map(|r| w::salutation(lang, Sex::Unknown, r.requester.trim(), "", ""))
            .unwrap_or_default(),
    };
    let mut tables = Vec::new();
    let mut outro = match &custom {
        Some(t) => {
            let v = values(&on);
            t.outro
                .iter()
                .map(|p| super::template::fill(p, &v))
                .collect()
        }
        None => w::outro(kind, lang, &head.authority),
    };
    match kind {
        Kind::AccessExtract => {
            if let Some(c) = &card {
                tables.extend(extract(conn, c, lang)?);
            }
        }
        Kind::AuthorityAnswer => match &card {
            Some(c) => tables.extend(extract(conn, c, lang)?),
            None => {
                let year = crate::requests::report::Period::Year {
                    year: chrono::Datelike::year(&today),
                };
                tables.extend(report_table(conn, year, lang, today)?);
                // What the figures count, as the report itself says (issue 15).
                outro.insert(0, crate::requests::report::explanation(lang).to_owned());
            }
        },
        Kind::ActDestruction | Kind::ActAnonymization => {
            if let Some(f) = &facts {
                tables.push(act_fields(conn, kind, f, request, head, lang)?);
            }
        }
        Kind::BreachNotice => {
            if let Some(b) = &breach {
                tables.push(breach_fields(conn, b, head, lang)?);
            }
        }
        Kind::PeriodReport => {
            if let Some(p) = source.period {
                let report = crate::requests::report::period(conn, p, today)?;
                intro.push(crate::requests::report::period_line(
                    lang,
                    report.from,
                    report.to,
                ));
                tables.push(Captioned {
                    caption: String::new(),
                    table: crate::requests::report::table(&report, lang),
                });
                // The open overdue requests and the extensions, as the report's PDF lists them.
                tables.extend(
                    crate::requests::report::detail_tables(&report, lang)
                        .into_iter()
                        .map(|(caption, table)| Captioned { caption, table }),
                );
                outro.push(crate::requests::report::explanation(lang).to_owned());
            }
        }
        _ => {}
    }
    let signer = (head.signer_position.clone(), head.signer_name.clone());
    let responsible = responsible_or_signer(head);
    let signatures = if kind.is_act() {
        vec![
            (
                format!("{}: {}", w::carried_out(lang), w::responsible_role(lang)),
                responsible,
            ),
            (
                format!("{}: {}", w::approved(lang), head.signer_position),
                head.signer_name.clone(),
            ),
        ]
    } else {
        vec![signer]
    };
    Ok(Draft {
        source: Source {
            subject_id,
            ..source.clone()
        },
        addressee,
        reference,
        title: match &custom {
            Some(t) => super::template::fill(&t.title, &values(&on)),
            None => w::title(kind, lang).to_owned(),
        },
        template_version: custom.as_ref().and_then(|t| t.version),
        salutation,
        intro,
        tables,
        outro,
        signatures,
        corrects_number: None,
        warnings: Vec::new(),
    })
}

/// "Рассмотрев ваше обращение от …, сообщаем" → "Сообщаем" when there is no request.
fn without_request(p: &str, lang: Language, phrase: &str) -> String {
    let lead = match lang {
        Language::Ru => format!("Рассмотрев {phrase}, "),
        Language::Kk => format!("{phrase} қарап, "),
        Language::En => format!("Having considered {phrase}, "),
    };
    match p.strip_prefix(&lead) {
        Some(rest) => {
            let mut c = rest.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
        None => p.to_owned(),
    }
}

fn sex(c: &Card) -> Sex {
    c.iin
        .as_deref()
        .and_then(|i| crate::Iin::parse(i).ok())
        .map_or(Sex::Unknown, |i| match i.sex() {
            crate::base::iin::Sex::Male => Sex::Male,
            crate::base::iin::Sex::Female => Sex::Female,
        })
}

fn full_name(c: &Card) -> String {
    [&c.surname, &c.given_name, &c.patronymic]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn addressee(
    kind: Kind,
    request: Option<&Request>,
    card: Option<&Card>,
    head: &Letterhead,
) -> Vec<String> {
    if matches!(kind, Kind::AuthorityAnswer | Kind::BreachNotice) {
        return vec![head.authority.clone()];
    }
    if kind == Kind::PeriodReport {
        return Vec::new();
    }
    let mut lines = Vec::new();
    match card {
        Some(c) => {
            lines.push(full_name(c));
            let by_mail =
                request.is_some_and(|r| r.channel == crate::requests::request::Channel::Email);
            if !c.address.trim().is_empty() && !by_mail {
                lines.extend(c.address.lines().map(|l| l.trim().to_owned()));
            }
            let email = request
                .map(|r| r.sender.trim().to_owned())
                .filter(|s| !s.is_empty())
                .or_else(|| c.emails.first().cloned());
            if let Some(e) = email {
                lines.push(e);
            }
        }
        None => {
            if let Some(r) = request {
                lines.push(r.requester.trim().to_owned());
                if !r.sender.trim().is_empty() {
                    lines.push(r.sender.trim().to_owned());
                }
            }
        }
    }
    lines.retain(|l| !l.is_empty());
    lines
}

fn names(conn: &Connection, table: &str, lang: Language) -> Result<HashMap<i64, String>> {
    let col = match lang {
        Language::Ru => "name_ru",
        Language::Kk => "name_kk",
        Language::En => "name_en",
    };
    let mut st = conn.prepare(&format!("SELECT id, {col} FROM {table}"))?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn day(s: &str) -> String {
    crate::base::input::parse_date(s).map_or_else(|| s.to_owned(), date)
}

/// The extract (Art. 25; policy 4.1): who the person is, what is held for what and on which basis,
/// and their consents. Only this person's records are read.
fn extract(conn: &Connection, c: &Card, lang: Language) -> Result<Vec<Captioned>> {
    let labels = w::identity_labels(lang);
    let dash = || "—".to_owned();
    let mut identity = vec![vec![labels[0].to_owned(), full_name(c)]];
    if let Some(iin) = &c.iin {
        identity.push(vec![labels[1].to_owned(), iin.clone()]);
    }
    if let Some(doc) = &c.doc_number {
        identity.push(vec![labels[2].to_owned(), doc.clone()]);
    }
    identity.push(vec![
        labels[3].to_owned(),
        c.birth_date.as_deref().map_or_else(dash, day),
    ]);
    identity.push(vec![
        labels[4].to_owned(),
        if c.emails.is_empty() {
            dash()
        } else {
            c.emails.join(", ")
        },
    ]);
    identity.push(vec![
        labels[5].to_owned(),
        if c.phones.is_empty() {
            dash()
        } else {
            c.phones.join(", ")
        },
    ]);
    identity.push(vec![
        labels[6].to_owned(),
        if c.address.trim().is_empty() {
            dash()
        } else {
            c.address.replace('\n', ", ")
        },
    ]);
    let head = w::label_value(lang);
    let mut out = vec![Captioned {
        caption: w::identity_caption(lang).to_owned(),
        table: TableSpec {
            header: head.iter().map(|s| (*s).to_owned()).collect(),
            rows: identity,
            widths: vec![0.3, 0.7],
            align: vec![Align::Left, Align::Left],
            bold: Vec::new(),
        },
    }];

    let categories = names(conn, "data_category", lang)?;
    let purposes = names(conn, "purpose", lang)?;
    // Transfers follow from the consents in force for the purpose (policy 8.2, 10.2).
    let mut passed: HashMap<i64, Vec<String>> = HashMap::new();
    for k in &c.consents {
        if k.state != crate::registry::consent::State::Active {
            continue;
        }
        let v = passed.entry(k.purpose_id).or_default();
        if k.third_parties && !v.iter().any(|x| x == w::third_parties(lang)) {
            v.push(w::third_parties(lang).to_owned());
        }
        if k.cross_border {
            v.push(w::cross_border(lang, &k.countries));
        }
    }
    let holdings: Vec<Vec<String>> = c
        .holdings
        .iter()
        .map(|h| {
            vec![
                categories.get(&h.category_id).cloned().unwrap_or_default(),
                purposes.get(&h.purpose_id).cloned().unwrap_or_default(),
                w::basis(&h.basis, lang).to_owned(),
                if h.source.trim().is_empty() {
                    dash()
                } else {
                    h.source.clone()
                },
                day(&h.since),
                h.until
                    .as_deref()
                    .map_or_else(|| w::until_purpose(lang).to_owned(), day),
                passed
                    .get(&h.purpose_id)
                    .filter(|v| !v.is_empty())
                    .map_or_else(|| w::not_passed(lang).to_owned(), |v| v.join("; ")),
            ]
        })
        .collect();
    let header = w::holdings_header(lang);
    out.push(Captioned {
        caption: w::holdings_caption(lang).to_owned(),
        table: TableSpec {
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            rows: if holdings.is_empty() {
                vec![vec![w::none(lang).to_owned(); 7]]
            } else {
                holdings
            },
            widths: vec![0.13, 0.19, 0.13, 0.13, 0.11, 0.14, 0.17],
            align: vec![Align::Left; 7],
            bold: Vec::new(),
        },
    });

    let consents: Vec<Vec<String>> = c
        .consents
        .iter()
        .map(|k| {
            let mut transfers = Vec::new();
            if k.third_parties {
                transfers.push(w::third_parties(lang).to_owned());
            }
            if k.cross_border {
                transfers.push(w::cross_border(lang, &k.countries));
            }
            let form = match &k.policy_version {
                Some(v) => format!("{}, {v}", w::consent_form(&k.form, lang)),
                None => w::consent_form(&k.form, lang).to_owned(),
            };
            let state = match (&k.withdrawn_at, k.state) {
                (Some(at), crate::registry::consent::State::Withdrawn) => {
                    format!("{} {}", w::consent_state(k.state, lang), day(at))
                }
                _ => w::consent_state(k.state, lang).to_owned(),
            };
            vec![
                purposes.get(&k.purpose_id).cloned().unwrap_or_default(),
                day(&k.granted_at),
                form,
                k.valid_until
                    .as_deref()
                    .map_or_else(|| w::until_purpose(lang).to_owned(), day),
                if transfers.is_empty() {
                    w::not_passed(lang).to_owned()
                } else {
                    transfers.join("; ")
                },
                state,
            ]
        })
        .collect();
    let header = w::consents_header(lang);
    out.push(Captioned {
        caption: w::consents_caption(lang).to_owned(),
        table: TableSpec {
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            rows: if consents.is_empty() {
                vec![vec![w::none(lang).to_owned(); 6]]
            } else {
                consents
            },
            widths: vec![0.2, 0.12, 0.18, 0.15, 0.2, 0.15],
            align: vec![Align::Left; 6],
            bold: Vec::new(),
        },
    });
    Ok(out)
}

/// Whoever answers for personal data, else the signer (docs/domain.md §7).
fn responsible_or_signer(head: &Letterhead) -> String {
    if head.responsible.is_empty() {
        head.signer_name.clone()
    } else {
        head.responsible.clone()
    }
}

/// A two-column table of labelled facts (an act's, a breach notice's).
fn facts_table(lang: Language, rows: Vec<Vec<String>>) -> Captioned {
    let header = w::label_value(lang);
    Captioned {
        caption: String::new(),
        table: TableSpec {
            header: header.iter().map(|s| (*s).to_owned()).collect(),
            rows,
            widths: vec![0.3, 0.7],
            align: vec![Align::Left, Align::Left],
            bold: Vec::new(),
        },
    }
}

/// The breach notice's fields (Law 44-VIII): when, what, which data, how many, what was done, who.
fn breach_fields(
    conn: &Connection,
    b: &crate::requests::breach::Breach,
    head: &Letterhead,
    lang: Language,
) -> Result<Captioned> {
    let cats = crate::registry::catalog::category_names(conn, &b.categories, lang)?;
    let l = w::breach_labels(lang);
    let found = if b.found_at.is_empty() {
        date(b.found_on)
    } else {
        format!("{} {}", date(b.found_on), b.found_at)
    };
    let who = responsible_or_signer(head);
    let contact = [who, head.phones.clone(), head.email.clone()]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let dash = |s: &str| {
        if s.trim().is_empty() {
            "—".to_owned()
        } else {
            s.to_owned()
        }
    };
    let rows = vec![
        vec![l[0].to_owned(), found],
        vec![l[1].to_owned(), b.description.clone()],
        vec![l[2].to_owned(), dash(&cats.join(", "))],
        vec![l[3].to_owned(), b.subjects_affected.to_string()],
        vec![l[4].to_owned(), dash(&b.measures)],
        vec![l[5].to_owned(), dash(&contact)],
    ];
    Ok(facts_table(lang, rows))
}

/// The records an act concerns, by number only: the data is gone.
fn act_records(lang: Language, f: &crate::erasure::record::BatchFacts) -> String {
    let mut parts = Vec::new();
    match f.subjects.as_slice() {
        [] => {}
        [one] => parts.push(w::record(lang, *one)),
        many => parts.push(w::records(lang, many)),
    }
    if !f.partial.is_empty() {
        parts.push(w::ended_holdings(lang, f.holdings, &f.partial));
    }
    parts.join("; ")
}

/// The act's fields: the records by number, which categories, the basis, date, method, who.
fn act_fields(
    conn: &Connection,
    kind: Kind,
    f: &crate::erasure::record::BatchFacts,
    request: Option<&Request>,
    head: &Letterhead,
    lang: Language,
) -> Result<Captioned> {
    let held = crate::registry::catalog::category_names(conn, &f.categories, lang)?;
    let labels = w::act_labels(lang);
    let who = responsible_or_signer(head);
    let received = request.map(|r| (date(r.received_on), r.id));
    let mut basis = if request.is_some() || f.retention {
        w::act_basis(lang, received.as_ref().map(|(d, id)| (d.as_str(), *id)))
    } else {
        w::article_18(lang).to_owned()
    };
    if !f.basis.is_empty() {
        basis = format!("{}; {basis}", f.basis);
    }
    let mut method = w::act_method(kind, lang).to_owned();
    if kind == Kind::ActAnonymization {
        method = format!(
            "{method}; {}",
            w::kept(lang, f.keep.birth_year, f.keep.sex, f.keep.holdings)
        );
    }
    let rows = vec![
        vec![labels[0].to_owned(), act_records(lang, f)],
        vec![
            labels[1].to_owned(),
            if held.is_empty() {
                w::none(lang).to_owned()
            } else {
                held.join(", ")
            },
        ],
        vec![labels[2].to_owned(), basis],
        vec![labels[3].to_owned(), date(f.done_on)],
        vec![labels[4].to_owned(), method],
        vec![labels[5].to_owned(), who],
    ];
    Ok(facts_table(lang, rows))
}

fn report_table(
    conn: &Connection,
    period: crate::requests::report::Period,
    lang: Language,
    today: NaiveDate,
) -> Result<Vec<Captioned>> {
    let report = crate::requests::report::period(conn, period, today)?;
    let mut out = vec![Captioned {
        caption: format!(
            "{} ({})",
            w::period_caption(lang),
            crate::requests::report::period_line(lang, report.from, report.to)
        ),
        table: crate::requests::report::table(&report, lang),
    }];
    out.extend(
        crate::requests::report::detail_tables(&report, lang)
            .into_iter()
            .map(|(caption, table)| Captioned { caption, table }),
    );
    Ok(out)
}
