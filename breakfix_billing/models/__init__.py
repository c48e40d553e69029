from . import breakfix_work_type
from . import breakfix_rate_card
from . import breakfix_rate_card_line
from . import res_company
from . import res_partner
