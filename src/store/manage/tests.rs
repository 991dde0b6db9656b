//! The management rules against a bare store, without HTTP.

use super::*;
use crate::store::{Store, TenantKey};

const NOW: u64 = 1_000;

/// A store with one tenant and its `testuser` (role `"user"`).
fn store() -> Store {
    crate::store::test_store(NOW).0
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn permission(store: &mut Store, name: &str) {
    let draft = PermissionDraft {
        name: name.to_owned(),
        ..Default::default()
    };
    create_permission(
        store,
        TenantKey::DEFAULT,
        draft,
        FieldProblems::default(),
        NOW,
    )
    .unwrap();
}

fn role(store: &mut Store, name: &str, permissions: &[&str]) {
    let draft = RoleDraft {
        name: name.to_owned(),
        description: None,
        permissions: names(permissions),
    };
    create_role(
        store,
        TenantKey::DEFAULT,
        draft,
        FieldProblems::default(),
        NOW,
    )
    .unwrap();
}

#[test]
fn a_users_freely_named_role_gets_a_record_once_stamped_with_its_creation_time() {
    let store = store();
    let tenant = &store[TenantKey::DEFAULT];
    let roles: Vec<&str> = tenant.rbac.roles.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(roles, ["user"]);
    assert_eq!(tenant.rbac.roles[0].created_at, NOW);
    assert!(tenant.users.values().all(|u| u.identity.created_at == NOW));
}

#[test]
fn a_renamed_permission_is_renamed_everywhere_without_repeats() {
    let mut store = store();
    permission(&mut store, "a:read");
    permission(&mut store, "b:read");
    role(&mut store, "Both", &["a:read", "b:read"]);
    let draft = PermissionDraft {
        name: "b:read".to_owned(),
        ..Default::default()
    };
    let clash = replace_permission(
        &mut store,
        TenantKey::DEFAULT,
        "a:read",
        draft,
        FieldProblems::default(),
    );
    assert!(matches!(clash, Err(Refusal::Conflict(..))));

    let draft = PermissionDraft {
        name: "c:read".to_owned(),
        ..Default::default()
    };
    replace_permission(
        &mut store,
        TenantKey::DEFAULT,
        "a:read",
        draft,
        FieldProblems::default(),
    )
    .unwrap();
    assert_eq!(
        store[TenantKey::DEFAULT]
            .rbac
            .role("Both")
            .unwrap()
            .permissions,
        names(&["c:read", "b:read"])
    );
}

#[test]
fn a_deleted_role_leaves_its_users_and_their_effective_permissions() {
    let mut store = store();
    permission(&mut store, "a:read");
    role(&mut store, "Reader", &["a:read"]);
    let draft = UserDraft {
        username: "jane".to_owned(),
        email: "jane@example.test".to_owned(),
        password_hash: Some("$argon2id$stand-in".to_owned()),
        roles: names(&["Reader"]),
        ..Default::default()
    };
    let jane = create_user(
        &mut store,
        TenantKey::DEFAULT,
        draft,
        FieldProblems::default(),
        NOW,
    )
    .unwrap();
    let effective = |store: &Store| {
        let tenant = &store[TenantKey::DEFAULT];
        tenant.effective_permissions(&tenant.users[&jane.id])
    };
    assert_eq!(effective(&store), names(&["a:read"]));

    delete_role(&mut store, TenantKey::DEFAULT, "Reader").unwrap();
    assert!(store[TenantKey::DEFAULT].users[&jane.id].roles.is_empty());
    assert!(effective(&store).is_empty());
}

#[test]
fn a_refused_replacement_changes_nothing() {
    let mut store = store();
    role(&mut store, "Reader", &[]);
    let before = format!("{:?}", store[TenantKey::DEFAULT].rbac.roles);
    let draft = RoleDraft {
        name: "Renamed".to_owned(),
        description: None,
        permissions: names(&["missing:perm"]),
    };
    let refused = replace_role(
        &mut store,
        TenantKey::DEFAULT,
        "Reader",
        draft,
        FieldProblems::default(),
    );
    let Err(Refusal::Invalid(problems)) = refused else {
        panic!("expected a validation refusal, got {refused:?}");
    };
    assert!(problems.into_map()["permissions"][0].contains("missing:perm"));
    assert_eq!(
        format!("{:?}", store[TenantKey::DEFAULT].rbac.roles),
        before
    );
}

#[test]
fn an_api_key_is_kept_only_as_the_hash_the_guard_computes() {
    let mut store = store();
    let draft = ApiKeyDraft {
        name: "ci".to_owned(),
        expires_at: Some(NOW + 60),
        ..Default::default()
    };
    let (record, key) = create_api_key(
        &mut store,
        TenantKey::DEFAULT,
        draft,
        FieldProblems::default(),
        NOW,
    )
    .unwrap();
    assert!(key.starts_with("mka_"));
    assert_eq!(record.key_hash, crate::store::rbac::ApiKey::hash_of(&key));
    assert_eq!(record.key_hash.len(), 64);
    assert!(!format!("{record:?}").contains(&key));
    assert!(record.is_live(NOW + 59) && !record.is_live(NOW + 60));
}
