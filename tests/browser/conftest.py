import pytest


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # Officers' browsers ask for Norwegian; tests that want English set it themselves.
    return {**browser_context_args, "locale": "nb-NO"}
