"""Places, categories and services: the public community directory.

Field names follow Open Referral UK / HSDS 3 where there is a match (service, location,
schedule, taxonomy_term), so the ORUK API maps one to one.
"""

from directory.models.feedback import ServiceFeedback
from directory.models.feeds import FeedTermMapping, HarvestedOrganisation, HarvestFeed
from directory.models.listings import (
    STALE_AFTER_DAYS,
    TIMES_OF_DAY,
    BankHoliday,
    Schedule,
    ScheduleQuerySet,
    SearchWord,
    Service,
    ServiceLanguage,
    ServiceQuerySet,
    ServiceSearchDocument,
    TaxonomyTerm,
    stale_condition,
)
from directory.models.places import (
    Area,
    Location,
    LocationQuerySet,
    Postcode,
    PostcodeQuerySet,
    area_for_postcode,
)
from directory.models.suggestions import Suggestion, new_reference
from directory.models.synonyms import SearchSynonym

__all__ = [
    "HarvestFeed",
    "FeedTermMapping",
    "HarvestedOrganisation",
    "Area",
    "PostcodeQuerySet",
    "Postcode",
    "LocationQuerySet",
    "Location",
    "area_for_postcode",
    "STALE_AFTER_DAYS",
    "TaxonomyTerm",
    "ServiceSearchDocument",
    "stale_condition",
    "ServiceQuerySet",
    "Service",
    "SearchWord",
    "SearchSynonym",
    "BankHoliday",
    "TIMES_OF_DAY",
    "ScheduleQuerySet",
    "Schedule",
    "ServiceLanguage",
    "new_reference",
    "Suggestion",
    "ServiceFeedback",
]
