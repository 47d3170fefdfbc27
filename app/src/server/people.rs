//! People's names, for lists that show who asked, wrote or acted, and the
//! staff a case or a conversation can be given to.

use std::collections::{BTreeSet, HashMap};

use entity::{accounts, people};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::error::AppError;
use crate::reader::{AccountRole, Colleague};

/// The full names of the people numbered `ids`, by id.
pub async fn names_of(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, String>, AppError> {
    let ids: BTreeSet<i32> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(people::Entity::find()
        .filter(people::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|person| (person.id, person.full_name))
        .collect())
}

pub fn staff_roles() -> [&'static str; 2] {
    [
        AccountRole::Caseworker.as_str(),
        AccountRole::Supervisor.as_str(),
    ]
}

/// Staff who can be given a case or a conversation (switched-off accounts
/// cannot), by name.
pub async fn colleagues(db: &impl ConnectionTrait) -> Result<Vec<Colleague>, AppError> {
    let staff = accounts::Entity::find()
        .filter(accounts::Column::Role.is_in(staff_roles()))
        .filter(accounts::Column::DeactivatedAt.is_null())
        .all(db)
        .await?;
    let names = names_of(db, staff.iter().map(|a| a.person_id)).await?;
    let mut colleagues: Vec<Colleague> = staff
        .iter()
        .filter_map(|account| {
            Some(Colleague {
                person: account.person_id,
                name: names.get(&account.person_id)?.clone(),
            })
        })
        .collect();
    colleagues.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(colleagues)
}
