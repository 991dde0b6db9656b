"""Success paths the fuzzer cannot reach on its own, checked against docs/openapi.json.

schemathesis generates requests from the document alone, so it never holds a real code,
refresh token, MFA challenge or record id and mostly sees the error answers of those
operations. This walks the flows a test author runs (a code exchange, refreshes, an MFA
step, introspection of live tokens, every identity resource created, read, replaced and
deleted, a service account's whole life) against a server with the document's layout,
and validates every answer with schemathesis's own response checks (documented status,
Content-Type, headers, body schema) besides the status the flow expects.

Usage (by .ci/schemathesis): python openapi_flows.py ORIGIN ADMIN_TOKEN CLIENT_ID
CLIENT_SECRET APP_SECRET
"""

import base64
import hashlib
import sys
import urllib.parse

import requests
import schemathesis

ORIGIN, ADMIN, CLIENT_ID, CLIENT_SECRET, APP_SECRET = sys.argv[1:]
SCHEMA = schemathesis.openapi.from_url(ORIGIN + "/openapi.json")
CHECKED = 0


def call(method, path, expect, template=None, **kwargs):
    """`method path` (below ORIGIN), checked against the operation at `template` (the
    document's path, `path` itself by default) and against the `expect`ed status."""
    global CHECKED
    response = requests.request(method, ORIGIN + path, allow_redirects=False, timeout=10, **kwargs)
    operation = SCHEMA[template or path][method]
    try:
        operation.validate_response(response)
    except BaseException as failure:  # schemathesis raises a group of failures
        if isinstance(failure, (KeyboardInterrupt, SystemExit)):
            raise
        sys.exit(f"{method} {path}: {response.status_code} contradicts the document:\n{failure}\n{response.text[:2000]}")
    if response.status_code != expect:
        sys.exit(f"{method} {path}: expected {expect}, got {response.status_code}: {response.text[:2000]}")
    CHECKED += 1
    return response.json() if response.content and "json" in response.headers.get("content-type", "") else response


admin = {"Authorization": f"Bearer {ADMIN}"}
client = (CLIENT_ID, CLIENT_SECRET)
app = {"x-application-secret": APP_SECRET}

# ---- OIDC
call("GET", "/.well-known/openid-configuration", 200)
call("GET", "/.well-known/oauth-authorization-server", 200)
call("GET", "/.well-known/jwks.json", 200)
login = call("POST", "/token", 200, auth=client, data={
    "grant_type": "password", "username": "testuser", "password": "password123",
    "scope": "openid profile email offline_access"})
refreshed = call("POST", "/token", 200, auth=client, data={"grant_type": "refresh_token", "refresh_token": login["refresh_token"]})
call("POST", "/token", 200, auth=client, data={"grant_type": "client_credentials"})
bearer = {"Authorization": f"Bearer {refreshed['access_token']}"}
call("GET", "/userinfo", 200, headers=bearer)
call("POST", "/userinfo", 200, data={"access_token": refreshed["access_token"]})
call("POST", "/introspect", 200, auth=client, data={"token": refreshed["access_token"]})
call("POST", "/introspect", 200, auth=client, data={"token": refreshed["refresh_token"]})
call("POST", "/introspect", 200, json={"token": "not-a-token"})
call("POST", "/token", 400, auth=client, data={"grant_type": "refresh_token", "refresh_token": login["refresh_token"]})

verifier = "openapi-flows-verifier-0123456789-abcdefghijklmnop"
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
redirect_uri = "http://127.0.0.1:9/callback"
authorize = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": redirect_uri, "state": "s1",
             "nonce": "n1", "code_challenge": challenge, "code_challenge_method": "S256"}
answer = call("GET", "/authorize", 302, params=authorize)
code = urllib.parse.parse_qs(urllib.parse.urlsplit(answer.headers["location"]).query)["code"][0]
call("POST", "/authorize", 302, data=authorize)
call("GET", "/authorize", 302, params=dict(authorize, response_type="token"))
call("GET", "/authorize", 400, params={"response_type": "code"})
coded = call("POST", "/token", 200, auth=client, data={
    "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier})
call("GET", "/logout", 200, params={"id_token_hint": coded["id_token"]})
call("POST", "/logout", 302, data={"client_id": CLIENT_ID, "post_logout_redirect_uri": redirect_uri, "state": "s2"})
call("POST", "/revoke", 200, auth=client, data={"token": refreshed["refresh_token"]})
call("GET", "/validate", 200, headers={"X-API-Key": CLIENT_SECRET})
call("POST", "/validate", 401, headers={"X-API-Key": "nope"})
call("GET", "/basic", 200, auth=("testuser", "password123"))

# An MFA user: the challenge, then the second step.
mfa_user = call("POST", "/api/auth-sandbox/users", 201, template="/api/auth-sandbox/users", headers=admin, json={
    "username": "mfa-user", "email": "mfa@example.test", "password": "mfa-password", "mfaEnabled": True,
    "claims": {"team": "blue"}})
challenge = call("POST", "/token", 403, auth=client, data={"grant_type": "password", "username": "mfa-user", "password": "mfa-password"})
call("POST", "/mfa/verify", 200, data={"mfa_token": challenge["mfa_token"], "code": challenge["_sandbox_mfa_code"]})

# ---- admin API
call("GET", "/api/auth-sandbox/config", 200, headers=admin)
call("POST", "/api/auth-sandbox/config", 200, headers=admin, json={"projectId": "flows", "issuerPath": "/realms/flows", "algorithm": "ES256"})
call("GET", "/api/auth-sandbox/config", 200, headers=admin, params={"configId": "flows"})
call("POST", "/api/auth-sandbox/clients", 201, headers=admin, json={
    "configId": "flows", "clientName": "Web", "clientId": "web", "grantTypes": ["authorization_code", "refresh_token"],
    "redirectUris": ["http://127.0.0.1:3000/cb"], "postLogoutRedirectUris": ["http://127.0.0.1:3000/bye"], "scopes": ["openid"]})
call("POST", "/api/auth-sandbox/clients", 201, headers=admin, json={"clientName": "SPA", "public": True})
call("POST", "/api/auth-sandbox/applications", 201, headers=admin, json={"name": "billing", "claimsUrl": "http://127.0.0.1:9/claims"})
call("POST", "/api/auth-sandbox/clock", 200, headers=admin)
call("GET", "/api/auth-sandbox/requests", 200, headers=admin, params={"after": 0, "limit": 50})
call("GET", "/api/auth-sandbox/requests", 200, headers=admin, params={"endpoint": "token", "grant_type": "password", "status": 200})

# ---- identity face (/id)
ident = call("POST", "/id/auth/login", 200, json={"username": "testuser", "password": "password123"})
ident = call("POST", "/id/auth/refresh", 200, json={"refreshToken": ident["refreshToken"]})
call("POST", "/id/auth/validate", 200, json={"token": ident["token"]})
call("POST", "/id/auth/impersonate", 200, headers=admin, json={"userId": mfa_user["id"]})
perm = call("POST", "/id/permissions", 201, headers=admin, json={"name": "content:write", "description": "Write", "category": "Content"})
call("GET", "/id/permissions", 200, headers=admin)
call("GET", f"/id/permissions/{perm['id']}", 200, template="/id/permissions/{id}", headers=admin)
call("PUT", "/id/permissions/content:write", 200, template="/id/permissions/{id}", headers=admin, json={"name": "content:edit"})
role = call("POST", "/id/roles", 201, headers=admin, json={"name": "Editor", "permissions": ["content:edit"]})
call("GET", "/id/roles", 200, headers=admin)
call("PUT", "/id/roles/Editor", 200, template="/id/roles/{id}", headers=admin, json={"name": "Editor", "description": "Edits", "permissions": ["content:edit"]})
user = call("POST", "/id/users", 201, headers=admin, json={
    "username": "jane.smith", "email": "jane@example.test", "password": "P@ssw0rd123", "firstName": "Jane", "roles": ["Editor"]})
call("GET", "/id/users", 200, headers=admin)
call("GET", "/id/users/jane.smith", 200, template="/id/users/{id}", headers=admin)
call("GET", f"/id/users/{user['id']}/roles", 200, template="/id/users/{id}/roles", headers=admin)
call("GET", f"/id/users/{user['id']}/permissions", 200, template="/id/users/{id}/permissions", headers=admin)
call("GET", f"/id/roles/{role['id']}", 200, template="/id/roles/{id}", headers=admin)
call("GET", "/id/roles/Editor/permissions", 200, template="/id/roles/{id}/permissions", headers=admin)
call("GET", "/id/roles/Editor/users", 200, template="/id/roles/{id}/users", headers=admin)
call("PUT", "/id/users/jane.smith", 200, template="/id/users/{id}", headers=admin, json={
    "username": "jane.smith", "email": "jane@example.test", "lastName": "Smith", "permissions": ["content:edit"]})
key = call("POST", "/id/apikeys", 201, headers=admin, json={"name": "ci", "expiresAt": "2999-01-31T12:00:00Z", "permissions": ["Users:Manage"]})
call("GET", "/id/users", 200, headers={"X-API-Key": key["key"]})
call("GET", "/id/apikeys", 200, headers=admin)
call("GET", f"/id/apikeys/{key['id']}", 200, template="/id/apikeys/{id}", headers=admin)
call("PUT", f"/id/apikeys/{key['id']}", 200, template="/id/apikeys/{id}", headers=admin, json={"name": "ci", "description": "CI"})
jane = call("POST", "/id/auth/login", 200, json={"username": "jane.smith", "password": "P@ssw0rd123"})
call("GET", "/id/users", 403, headers={"Authorization": f"Bearer {jane['token']}"})
call("GET", "/id/users", 401)
call("DELETE", f"/id/apikeys/{key['id']}", 204, template="/id/apikeys/{id}", headers=admin)
call("DELETE", "/id/users/jane.smith", 204, template="/id/users/{id}", headers=admin)
call("DELETE", "/id/roles/Editor", 204, template="/id/roles/{id}", headers=admin)
call("DELETE", "/id/permissions/content:edit", 204, template="/id/permissions/{id}", headers=admin)
call("DELETE", "/id/users/testuser", 409, template="/id/users/{id}", headers=admin)

# ---- service face (/svc)
call("POST", "/svc/auth/register", 201, headers=app, json={
    "identifier": "alice@example.test", "password": "P@ssw0rd123", "type": "user", "refId": "507f1f77bcf86cd799439011"})
call("POST", "/svc/auth/register", 409, headers=app, json={
    "identifier": "alice@example.test", "password": "P@ssw0rd123", "type": "user", "refId": "x"})
pair = call("POST", "/svc/auth/login", 200, headers=app, json={"identifier": "alice@example.test", "password": "P@ssw0rd123"})
pair = call("POST", "/svc/auth/refresh", 200, headers=app, json={"refreshToken": pair["refreshToken"]})
call("POST", "/svc/auth/revoke", 204, headers=app, json={"refreshToken": pair["refreshToken"]})
call("POST", "/svc/auth/refresh", 401, headers=app, json={"refreshToken": pair["refreshToken"]})
call("POST", "/svc/auth/login", 401, json={"identifier": "alice@example.test", "password": "P@ssw0rd123"})

call("GET", "/openapi.json", 200)
print(f"openapi_flows: {CHECKED} answers of the scripted flows conform to the document")
