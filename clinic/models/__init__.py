from clinic.models.brands import Brand, BrandDomain, BrandMembership, Look, Role, Typeface
from clinic.models.locations import Location, OpeningHours, SpecialHours

__all__ = [
    "Brand",
    "BrandDomain",
    "BrandMembership",
    "Location",
    "Look",
    "OpeningHours",
    "Role",
    "SpecialHours",
    "Typeface",
]
