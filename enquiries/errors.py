"""Domain errors: each carries its own translatable, personal-data-free message."""

from django.utils.translation import gettext_lazy as _


class PressdeskError(Exception):
    message = _("That action is not possible.")

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
    message = _("No such enquiry.")


class InvalidTransition(PressdeskError):
    message = _("Enquiry %(reference)s cannot go from %(current)s to %(target)s.")


class JournalistNotFound(PressdeskError):
    message = _("No such journalist.")


class CannotMergeWithItself(PressdeskError):
    message = _("A journalist cannot be merged with itself.")
