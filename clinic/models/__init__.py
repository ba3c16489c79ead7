from clinic.models.brands import Brand, BrandDomain, BrandMembership, Role
from clinic.models.locations import Location, OpeningHours, SpecialHours

__all__ = [
    "Brand",
    "BrandDomain",
    "BrandMembership",
    "Location",
    "OpeningHours",
    "Role",
    "SpecialHours",
]
