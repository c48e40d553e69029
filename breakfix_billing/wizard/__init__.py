from . import breakfix_approval_request
