"""Signs in the three callers the contract test runs as, against a served instance with the
demo data loaded: the demo operator, a provider-level admin of a new provider, and the demo
end user's client; and finds the ids of the demo records the generated requests address.
Prints shell assignments (OPERATOR_TOKEN=…, CONTRACT_USER=…) for scripts/contract-test.sh."""

import sys

import requests

DEMO_EMAIL = "admin@kakaposystems.com"
DEMO_PASSWORD = "kakapo-demo-password"
DEMO_USER_ID = "christutt@kakaposystems.com"
PASSWORD = "contract-test-password"


def main(base: str) -> None:
    api = f"{base}/api/v1"
    session = requests.Session()

    def call(method, path, token=None, **kwargs):
        headers = {"authorization": f"Bearer {token}"} if token else {}
        response = session.request(method, f"{api}{path}", headers=headers, timeout=30, **kwargs)
        if not response.ok:
            sys.exit(f"contract setup: {method} {path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None

    operator = call("POST", "/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    op = operator["access_token"]

    provider = call("POST", "/providers", op, json={"name": "Contract Test Provider"})
    call(
        "POST",
        f"/providers/{provider['id']}/portal-accounts",
        op,
        json={"email": "contract@example.com", "password": PASSWORD, "send_alerts": True},
    )
    admin = call("POST", "/auth/login", json={"email": "contract@example.com", "password": PASSWORD})

    demo_provider = call("GET", "/providers", op, params={"search": "Kakapo"})["items"][0]
    customers = call("GET", f"/providers/{demo_provider['id']}/customers", op)["items"]
    users = call("GET", f"/customers/{customers[0]['id']}/users", op, params={"search": DEMO_USER_ID})
    user_id = users["items"][0]["id"]
    call("PUT", f"/users/{user_id}/client-password", op, json={"password": PASSWORD})
    client = call(
        "POST", "/client/login", json={"user_id": DEMO_USER_ID, "password": PASSWORD}
    )
    reseller = call("POST", f"/providers/{demo_provider['id']}/resellers", op, json={"name": "Contract Reseller"})
    queue = call("GET", f"/customers/{customers[0]['id']}/queues", op)["items"][0]
    stream = call("GET", f"/queues/{queue['id']}/media-streams", op)["items"][0]
    platform = call("GET", f"/providers/{demo_provider['id']}/cpaas-platforms", op)["items"][0]
    number = call("GET", f"/users/{user_id}/cpaas-numbers", op)["items"][0]

    print(f"OPERATOR_TOKEN={op}")
    print(f"PROVIDER_TOKEN={admin['access_token']}")
    print(f"CLIENT_TOKEN={client['access_token']}")
    ids = {
        "PROVIDER": demo_provider["id"],
        "RESELLER": reseller["id"],
        "CUSTOMER": customers[0]["id"],
        "USER": user_id,
        "QUEUE": queue["id"],
        "STREAM": stream["id"],
        "PLATFORM": platform["id"],
        "NUMBER": number["id"],
        "ACCOUNT": admin["account"]["id"],
    }
    for name, value in ids.items():
        print(f"export CONTRACT_{name}={value}")


if __name__ == "__main__":
    main(sys.argv[1])
