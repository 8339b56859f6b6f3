//! The statements SQLite and PostgreSQL share, written once for any [`crate::dialect::Dialect`].

/// A block `impl<D> Sql<D> { … }` of shared statements, with the bounds that every such block
/// needs: the values its statements bind and read on `D`. Rust does not carry a trait's
/// where-clauses about other types over to the trait's users, so these bounds cannot live on
/// [`crate::dialect::Dialect`]; they are written once here instead. (Called with parentheses, so
/// that rustfmt still formats the block.)
macro_rules! shared_sql {
    (impl<D> Sql<D> { $($body:tt)* }) => {
        impl<D> crate::dialect::Sql<D>
        where
            D: crate::dialect::Dialect,
            for<'a> &'a str: sqlx::Encode<'a, D> + sqlx::Type<D>,
            String: crate::dialect::Stored<D>,
            i64: crate::dialect::Stored<D>,
            bool: crate::dialect::Stored<D>,
            Option<String>: crate::dialect::Param<D>,
            Option<i64>: crate::dialect::Param<D>,
            for<'a> Option<&'a str>: sqlx::Encode<'a, D>,
            usize: sqlx::ColumnIndex<D::Row>,
            for<'r> crate::rows::StoredCase: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::rows::VersionedCase: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::rows::CaseWithHandEdit: sqlx::FromRow<'r, D::Row>,
            for<'r> crate::activation::LinkRow: sqlx::FromRow<'r, D::Row>,
        {
            $($body)*
        }
    };
}

/// The methods of `impl Store for …` whose statements both databases share: each runs the
/// function of the same name of `Sql::<$dialect>` on the store's sqlx pool (the field `$pool`).
/// The methods a store does its own way (imports, saves, scans) are written out in its `impl`.
macro_rules! shared_store_methods {
    (dialect: $dialect:ty, pool: $pool:ident) => {
        async fn export(
            &self,
            filter: &::dakwacht_core::CaseFilter,
            batches: ::tokio::sync::mpsc::Sender<Vec<::dakwacht_core::Case>>,
        ) -> Result<u64, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::export(&self.$pool, filter, batches).await
        }

        async fn cases_after(
            &self,
            filter: &::dakwacht_core::CaseFilter,
            after: Option<(&str, &str)>,
            limit: u32,
        ) -> Result<Vec<::dakwacht_core::Case>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::cases_after(&self.$pool, filter, after, limit).await
        }

        async fn extra_columns(
            &self,
            filter: &::dakwacht_core::CaseFilter,
        ) -> Result<Vec<String>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::extra_columns(&self.$pool, filter).await
        }

        async fn profile_counts(
            &self,
            filter: &::dakwacht_core::CaseFilter,
        ) -> Result<Vec<::dakwacht_core::ProfileCount>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::profile_counts(&self.$pool, filter).await
        }

        async fn municipality_count(
            &self,
            filter: &::dakwacht_core::CaseFilter,
        ) -> Result<u64, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::municipality_count(&self.$pool, filter).await
        }

        async fn home_losses_by_month(
            &self,
            filter: &::dakwacht_core::CaseFilter,
        ) -> Result<Vec<(String, u64)>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::home_losses_by_month(&self.$pool, filter).await
        }

        async fn case(
            &self,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Option<::dakwacht_core::Case>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::case(&self.$pool, organisation, case_ref).await
        }

        async fn case_with_version(
            &self,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Option<(::dakwacht_core::Case, i64)>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::case_with_version(&self.$pool, organisation, case_ref)
                .await
        }

        async fn cases_by_ref(
            &self,
            organisation: &str,
            case_refs: &[String],
        ) -> Result<Vec<$crate::StoredForImport>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::cases_by_ref(&self.$pool, organisation, case_refs)
                .await
        }

        async fn history(
            &self,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<$crate::Change>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::history(&self.$pool, organisation, case_ref).await
        }

        async fn add_organisation(
            &self,
            actor: &$crate::Actor,
            name: &str,
        ) -> Result<bool, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::add_organisation(&self.$pool, actor, name).await
        }

        async fn organisations(&self) -> Result<Vec<String>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::organisations(&self.$pool).await
        }

        async fn add_user(
            &self,
            actor: &$crate::Actor,
            user: &$crate::NewUser,
        ) -> Result<(), $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::add_user(&self.$pool, actor, user).await
        }

        async fn users(
            &self,
            organisation: Option<&str>,
        ) -> Result<Vec<$crate::User>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::users(&self.$pool, organisation).await
        }

        async fn disable_user(
            &self,
            actor: &$crate::Actor,
            username: &str,
        ) -> Result<bool, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::disable_user(&self.$pool, actor, username).await
        }

        async fn enable_user(
            &self,
            actor: &$crate::Actor,
            username: &str,
        ) -> Result<bool, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::enable_user(&self.$pool, actor, username).await
        }

        async fn change_password(
            &self,
            username: &str,
            password_hash: &str,
            keep_session: &str,
        ) -> Result<(), $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::change_password(
                &self.$pool,
                username,
                password_hash,
                keep_session,
            )
            .await
        }

        async fn reset_password(
            &self,
            actor: &$crate::Actor,
            username: &str,
            organisation: Option<&str>,
            by_administrator: bool,
            link: &$crate::NewActivationLink,
        ) -> Result<$crate::Admission, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::reset_password(
                &self.$pool,
                actor,
                username,
                organisation,
                by_administrator,
                link,
            )
            .await
        }

        async fn invite_user(
            &self,
            actor: &$crate::Actor,
            invitation: &$crate::Invitation,
        ) -> Result<$crate::Admission, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::invite_user(&self.$pool, actor, invitation).await
        }

        async fn renew_activation_link(
            &self,
            actor: &$crate::Actor,
            username: &str,
            organisation: Option<&str>,
            by_administrator: bool,
            link: &$crate::NewActivationLink,
        ) -> Result<$crate::Admission, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::renew_activation_link(
                &self.$pool,
                actor,
                username,
                organisation,
                by_administrator,
                link,
            )
            .await
        }

        async fn approve_user(
            &self,
            actor: &$crate::Actor,
            organisation: &str,
            username: &str,
            link: &$crate::NewActivationLink,
        ) -> Result<bool, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::approve_user(
                &self.$pool,
                actor,
                organisation,
                username,
                link,
            )
            .await
        }

        async fn reject_user(
            &self,
            actor: &$crate::Actor,
            organisation: &str,
            username: &str,
        ) -> Result<bool, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::reject_user(
                &self.$pool,
                actor,
                organisation,
                username,
            )
            .await
        }

        async fn activation_link(
            &self,
            token_hash: &str,
        ) -> Result<$crate::LinkState, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::activation_link(&self.$pool, token_hash).await
        }

        async fn activate_user(
            &self,
            token_hash: &str,
            password_hash: &str,
        ) -> Result<$crate::LinkState, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::activate_user(&self.$pool, token_hash, password_hash)
                .await
        }

        async fn user_for_login(
            &self,
            username: &str,
        ) -> Result<Option<($crate::User, String)>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::user_for_login(&self.$pool, username).await
        }

        async fn audit(&self, entry: &$crate::AuditEntry) -> Result<(), $crate::StoreError> {
            let mut conn = <$dialect as $crate::dialect::Dialect>::acquire(&self.$pool).await?;
            $crate::dialect::Sql::<$dialect>::append(&mut conn, entry).await
        }

        async fn audit_log(
            &self,
            filter: &$crate::AuditFilter,
        ) -> Result<Vec<$crate::AuditRecord>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::audit_log(&self.$pool, filter).await
        }

        async fn create_session(
            &self,
            username: &str,
            session: &$crate::NewSession,
        ) -> Result<bool, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::create_session(&self.$pool, username, session).await
        }

        async fn session(
            &self,
            token_hash: &str,
            kind: $crate::SessionKind,
        ) -> Result<Option<($crate::User, String)>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::session(&self.$pool, token_hash, kind).await
        }

        async fn end_session(&self, token_hash: &str) -> Result<(), $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::end_session(&self.$pool, token_hash).await
        }

        async fn case_page(
            &self,
            filter: &::dakwacht_core::CaseFilter,
            after: Option<(&str, &str)>,
            limit: u32,
        ) -> Result<Vec<$crate::CaseSummary>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::case_page(&self.$pool, filter, after, limit).await
        }

        async fn follow_up(
            &self,
            organisation: &str,
            asked: &$crate::FollowUp,
        ) -> Result<Vec<$crate::CaseSummary>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::follow_up(&self.$pool, organisation, asked).await
        }

        async fn follow_up_of(
            &self,
            organisation: &str,
            case_ref: &str,
        ) -> Result<(Option<String>, Option<String>), $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::follow_up_of(&self.$pool, organisation, case_ref)
                .await
        }

        async fn change_follow_up(
            &self,
            actor: &$crate::Actor,
            organisation: &str,
            case_ref: &str,
            change: &$crate::FollowUpChange,
        ) -> Result<(), $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::change_follow_up(
                &self.$pool,
                actor,
                organisation,
                case_ref,
                change,
            )
            .await
        }

        async fn add_observation(
            &self,
            actor: &$crate::Actor,
            organisation: &str,
            case_ref: &str,
            observation: &::dakwacht_core::Observation,
        ) -> Result<(), $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::add_observation(
                &self.$pool,
                actor,
                organisation,
                case_ref,
                observation,
            )
            .await
        }

        async fn observations(
            &self,
            organisation: &str,
            case_ref: &str,
        ) -> Result<Vec<::dakwacht_core::Observation>, $crate::StoreError> {
            $crate::dialect::Sql::<$dialect>::observations(&self.$pool, organisation, case_ref)
                .await
        }
    };
}

pub(crate) use shared_store_methods;

mod accounts;
mod activation;
mod cases;
mod closing;

pub(crate) use closing::closing_store_methods;

/// The time of a change as stored: RFC 3339 in UTC, whose text order is time order.
fn now() -> String {
    jiff::Timestamp::now().to_string()
}
