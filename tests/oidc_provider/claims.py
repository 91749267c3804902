from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims Entra ID sends: e-mail, preferred_username, and the user's groups."""

    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": [group.name for group in user.groups.all()],
        }
