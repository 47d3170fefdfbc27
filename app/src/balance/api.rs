//! One server function per view of a case. Each checks who is asking and
//! their role on the case before it reads anything.

use leptos::prelude::*;

use super::history::History;
use super::model::{CaseView, PrintStatement, Timeline};
use crate::error::AppError;

/// The signed-in person's overview: a card per case for a parent, the case
/// list for staff.
#[server(endpoint = "overview")]
pub async fn overview() -> Result<super::model::Overview, AppError> {
    use crate::server::caller::Caller;
    let caller = Caller::signed_in().await?;
    let (db, reader, clock) = (caller.reads(), &caller.reader, caller.clock);
    let (cards, staff_cases) = if reader.role.is_staff() {
        let cases = crate::account::service::records::my_cases(db, reader).await?;
        (Vec::new(), cases)
    } else {
        let cards = super::service::cards(
            db,
            &caller.state.ledgers,
            reader,
            clock.today(),
            &caller.state.ledger,
        )
        .await?;
        (cards, Vec::new())
    };
    Ok(super::model::Overview {
        as_of: clock.as_of(),
        cards,
        staff_cases,
    })
}

/// The case page: the card, orders, children, caseworker, past-due panel.
#[server(endpoint = "case_overview")]
pub async fn case_overview(case_number: String) -> Result<CaseView, AppError> {
    use crate::server::audit::AuditAction;
    let case = open_case(&case_number).await?;
    case.on_record(AuditAction::CaseOpened, None).await?;
    let today = case.caller.clock.today();
    super::service::case_view(
        case.caller.reads(),
        &case.caller.state.ledgers,
        case.authorized.case,
        case.authorized.role,
        today,
        &case.caller.state.ledger,
        case.caller.clock.as_of(),
    )
    .await
}

/// A page of the case's history. Dates are `YYYY-MM-DD`; empty means the
/// last 24 months. `kind` and `obligation` narrow the lines.
#[server(endpoint = "case_history")]
pub async fn case_history(
    case_number: String,
    from: Option<String>,
    to: Option<String>,
    kind: Option<String>,
    obligation: Option<String>,
    page: Option<u32>,
) -> Result<History, AppError> {
    let case = open_case(&case_number).await?;
    let filter = super::history::Filter::read(
        from.as_deref(),
        to.as_deref(),
        kind.as_deref(),
        obligation.as_deref(),
        case.life(),
    )?;
    let range = Some(format!("{} to {}", filter.from, filter.to));
    case.on_record(crate::server::audit::AuditAction::HistoryRead, range)
        .await?;
    super::service::history(
        case.caller.reads(),
        &case.caller.state.ledgers,
        &case.caller.state.histories,
        case.authorized,
        filter,
        page.unwrap_or(1),
        case.caller.clock.as_of(),
    )
    .await
}

/// The printable statement of a range (every line, oldest first).
#[server(endpoint = "case_statement")]
pub async fn case_statement(
    case_number: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<PrintStatement, AppError> {
    let case = open_case(&case_number).await?;
    let filter =
        super::history::Filter::read(from.as_deref(), to.as_deref(), None, None, case.life())?;
    let range = Some(format!("{} to {}", filter.from, filter.to));
    case.on_record(crate::server::audit::AuditAction::StatementRead, range)
        .await?;
    super::service::printable(
        case.caller.reads(),
        &case.caller.state.ledgers,
        &case.caller.state.histories,
        case.authorized.case,
        filter,
        case.caller.clock.as_of(),
    )
    .await
}

/// Month by month: due, received and the balance (the chart), and why.
#[server(endpoint = "case_timeline")]
pub async fn case_timeline(
    case_number: String,
    from: Option<String>,
    to: Option<String>,
) -> Result<Timeline, AppError> {
    let case = open_case(&case_number).await?;
    let filter =
        super::history::Filter::read(from.as_deref(), to.as_deref(), None, None, case.life())?;
    let range = Some(format!("{} to {}", filter.from, filter.to));
    case.on_record(crate::server::audit::AuditAction::TimelineRead, range)
        .await?;
    super::service::timeline(
        case.caller.reads(),
        &case.caller.state.ledgers,
        case.authorized.case,
        case.authorized.role,
        filter,
        case.caller.state.ledger.grace_days,
        case.caller.clock.as_of(),
    )
    .await
}

/// A case the signed-in reader may view, and who they are.
#[cfg(feature = "ssr")]
struct OpenCase {
    caller: crate::server::caller::Caller,
    authorized: crate::server::access::Authorized,
}

#[cfg(feature = "ssr")]
impl OpenCase {
    fn life(&self) -> super::history::Life {
        super::history::Life::new(self.authorized.case.opened_on, self.caller.clock.today())
    }

    /// Puts a staff member's read of the case on its audit log.
    async fn on_record(
        &self,
        action: crate::server::audit::AuditAction,
        detail: Option<String>,
    ) -> Result<(), AppError> {
        use crate::server::audit::{staff_read_event, Source};
        let (reader, case) = (&self.caller.reader, self.authorized.case.id);
        let Some(event) = staff_read_event(reader, action, case, detail) else {
            return Ok(());
        };
        let log = &self.caller.state.read_log;
        log.record(event, &Source::of_request(), self.caller.clock.now)
            .await
    }
}

#[cfg(feature = "ssr")]
async fn open_case(case_number: &str) -> Result<OpenCase, AppError> {
    use crate::server::access::CaseAction;
    let caller = crate::server::caller::Caller::signed_in().await?;
    let authorized = caller.case(case_number, CaseAction::View).await?;
    Ok(OpenCase { caller, authorized })
}
