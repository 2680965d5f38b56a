"""Writes for merchants: businesses (registration, proof, decisions), offers, the counter, recommendations."""

from neighbourly.merchants.services.businesses import (  # noqa: F401
    business_owner_reachable_set,
    business_code_enter,
    business_create,
    business_decide,
    business_document_upload,
    business_image_add,
    business_owner_add,
    business_postcard_issue,
)
from neighbourly.merchants.services.counter import (  # noqa: F401
    offer_claim,
    offer_redeem,
    offer_save,
    offer_unsave,
)
from neighbourly.merchants.services.editing import (  # noqa: F401
    business_update,
    offer_end,
    offer_pause,
    offer_resume,
    offer_update,
)
from neighbourly.merchants.services.offers import offer_image_set, offer_publish, offers_close_finished  # noqa: F401
from neighbourly.merchants.services.recommendations import (  # noqa: F401
    recommendation_add,
    recommendation_withdraw,
)
