//! Who is calling a server function, and what every one of them needs to
//! answer: the state, and one clock for the whole answer.
//!
//! A server function opens with [`Caller::signed_in`] (or
//! [`Caller::anyone`]), asks [`Caller::case`] before it touches a case, and
//! hands the rest to its area's service.

use sea_orm::DatabaseConnection;

use super::access::{authorize, Authorized, CaseAction};
use super::clock::Clock;
use super::{state, user, AppState};
use crate::error::AppError;
use crate::reader::User;

/// A signed-in caller.
pub struct Caller {
    pub reader: User,
    pub state: AppState,
    /// Read once: every date and time in the answer agrees.
    pub clock: Clock,
}

impl Caller {
    /// The signed-in reader, with the second step the agency asks of staff;
    /// anyone else is asked to sign in (or to set that step up) first.
    pub async fn signed_in() -> Result<Self, AppError> {
        let reader = user::require().await?;
        Ok(Self::of(reader, state()?))
    }

    /// The signed-in reader, before any second step is set up (to set it up).
    pub async fn without_second_step() -> Result<Self, AppError> {
        let reader = user::require_signed_in().await?;
        Ok(Self::of(reader, state()?))
    }

    /// Whoever is asking, signed in or not, for the public pages.
    pub async fn anyone() -> Result<(Option<User>, AppState, Clock), AppError> {
        let reader = user::current().await?;
        let state = state()?;
        let clock = state.clock();
        Ok((reader, state, clock))
    }

    fn of(reader: User, state: AppState) -> Self {
        let clock = state.clock();
        Self {
            reader,
            state,
            clock,
        }
    }

    /// Writes, and reads whose answer decides a write.
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// Reads for a page (on SQLite, beside the writer: [`AppState::reads`]).
    pub fn reads(&self) -> &DatabaseConnection {
        &self.state.reads
    }

    /// The case numbered `number`, if the reader may do `action` with it
    /// (the one access rule; a refusal is on the record).
    pub async fn case(&self, number: &str, action: CaseAction) -> Result<Authorized, AppError> {
        authorize(self.reads(), self.db(), &self.reader, number, action).await
    }
}
