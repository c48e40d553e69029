from . import helpdesk_ticket
from . import breakfix_drafting_batch
from . import breakfix_drafting_request
