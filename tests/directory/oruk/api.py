"""Calling the Open Referral UK API in tests."""

API = "/api/oruk"
MAX_QUERIES = 8


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    return response.json()


def names(body):
    return [item["name"] for item in body["contents"]]


def no_nulls(value):
    if isinstance(value, dict):
        return all(v is not None and no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return value is not None
