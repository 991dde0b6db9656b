//! Is this the server's admin token? Compared in constant time.

use subtle::ConstantTimeEq as _;

use crate::http::request::HttpRequest;
use crate::shared::Shared;

/// Whether the request carries `Authorization: Bearer <admin_token>`.
pub(crate) fn is_admin_token(shared: &Shared, req: &HttpRequest) -> bool {
    req.bearer_token()
        .is_some_and(|token| bool::from(token.as_bytes().ct_eq(shared.admin_token.as_bytes())))
}
