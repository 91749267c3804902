"""Domain errors: each carries its own translatable, personal-data-free message."""

from django.utils.translation import gettext_lazy as _


class PressdeskError(Exception):
    message = _("That action is not possible.")
    # What the web answers when a view lets it through (views/errors.py): "missing" is 404.
    status = 400

    def __init__(self, **params: object) -> None:
        self.params = params
        super().__init__(str(self.message) % params if params else str(self.message))

    def __str__(self) -> str:
        # Rendered late so the active language is used, not the one at raise time.
        return str(self.message) % self.params if self.params else str(self.message)


class DuplicateEmail(PressdeskError):
    message = _("A journalist with this e-mail address is already registered.")


class DuplicateName(PressdeskError):
    message = _("One with this name already exists.")


class EnquiryNotFound(PressdeskError):
    status = 404
    message = _("No such enquiry.")


class NothingToAccept(PressdeskError):
    message = _("Nothing given on the form differs from the journalist's card.")


class NothingToMatch(PressdeskError):
    message = _("Give an e-mail address or a phone number.")


class ExtensionTooLong(PressdeskError):
    message = _("A request may be extended by at most two further months.")


class RightsRequestNotFound(PressdeskError):
    status = 404
    message = _("No such request.")


class RequestNotOpen(PressdeskError):
    message = _("This request is no longer open.")


class RequestNotForThisContact(PressdeskError):
    message = _("That request is not an open request of this kind from this contact.")


class LinkInvalid(PressdeskError):
    message = _("This link is not valid. Ask for a new one on the privacy page.")


class LinkExpired(PressdeskError):
    message = _("This link has expired. Ask for a new one on the privacy page.")


class LinkAddressMismatch(PressdeskError):
    message = _(
        "That is not the address the link was sent to, so the link no longer works. "
        "Ask for a new one on the privacy page."
    )


class LinkUsed(PressdeskError):
    message = _("This link has already been used. Ask for a new one if you need to.")


class UnreadableMail(PressdeskError):
    message = _("The message could not be read as an e-mail with a sender.")


class PurgeAlreadyRunning(PressdeskError):
    message = _("Another purge is running; this one did nothing.")


class EnquiryAnonymised(PressdeskError):
    message = _("Enquiry %(reference)s was anonymised: it cannot be reopened.")


class InvalidTransition(PressdeskError):
    message = _("Enquiry %(reference)s cannot go from %(current)s to %(target)s.")


class JournalistNotFound(PressdeskError):
    # Raised for ids in a form (a merge's duplicate, a log's journalist): a form error.
    message = _("No such journalist.")


class CannotMergeWithItself(PressdeskError):
    message = _("A journalist cannot be merged with itself.")


class MailMayHaveGoneOut(PressdeskError):
    message = _(
        "This mail may already have reached its receiver: check with them (Message-ID "
        "%(message_id)s), then confirm to send it again."
    )


class HeldMailNotFound(PressdeskError):
    status = 404
    message = _("That mail is no longer in the holding pen.")


class NoSuchReference(PressdeskError):
    message = _("No enquiry has that reference.")


class NothingToMergeOutlets(PressdeskError):
    message = _("Choose at least two outlets, and keep one of them.")
