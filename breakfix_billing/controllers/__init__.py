from . import portal
from . import portal_prepaid
from . import portal_approval
from . import portal_cap
