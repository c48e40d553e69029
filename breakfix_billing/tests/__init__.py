from . import test_rate_card
from . import test_access
from . import test_partner
from . import test_tour
from . import test_pricing
