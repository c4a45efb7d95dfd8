"""Reading officers' uploads of ward figures (CSV) and ward boundaries (GeoJSON).

Nothing here writes: each reader checks the whole file and returns what to save, or every
problem it found, by row or feature number, for the upload page to list. wards.services
saves a file only when it had no problem at all.
"""

import json
import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.csvfiles import CSVFileError, read_csv
from directory.models import Area
from wards.models import Indicator

MAX_ROWS = 50_000  # England has 33,755 LSOAs (2021)
MAX_POSITIONS = 2_000_000  # points in one GeoJSON file: a borough's detailed wards are ~100,000
LARGEST = Decimal("99999999999")  # what a WardFigure value holds (14 digits, 3 after the point)
THOUSANDTH = Decimal("0.001")
ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
WARD_COLUMNS = ["ward_code", "value"]
LSOA_COLUMNS = ["lsoa_code", "ward_code", "value", "population"]
NAME_COLUMNS = ["ward_name", "lsoa_name"]  # allowed, for people reading the file; not used
# ONS boundary files name the code property after the year: WD24CD, WD23CD, ...
WARD_CODE_PROPERTY = re.compile(r"^(WD\d\dCD|ward_code|code|gss_code)$", re.IGNORECASE)


class UploadError(ValueError):
    """The file as a whole cannot be used; str(error) says why."""


@dataclass
class Problems:
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def add(self, number: int, messages: list[str]):
        if messages:
            self.rows.append((number, messages))

    def __bool__(self):
        return bool(self.rows)


@dataclass
class Figures:
    values: dict[int, Decimal]  # ward id -> value
    from_lsoas: bool
    rows: int
    skipped: int = 0  # rows for wards that are not ours, left out on request


@dataclass
class Boundaries:
    geometries: dict[int, dict]  # ward id -> GeoJSON geometry
    skipped: int = 0


def wards_by_code(codes) -> dict[str, Area]:
    return {
        a.ons_code: a for a in Area.objects.filter(kind=Area.Kind.WARD, ons_code__in=set(codes))
    }


def parse_number(text: str | None, column: str) -> tuple[Decimal | None, str | None]:
    """(value, None) or (None, the problem). Thousands separators are allowed: 12,345."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None, f"{column} is empty"
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"{column} “{text[:40]}” is not a number"
    if not value.is_finite() or abs(value) > LARGEST:
        return None, f"{column} “{text[:40]}” is not a number we can store"
    return value.quantize(THOUSANDTH, rounding=ROUND_HALF_UP), None


def check_value(kind: str, value: Decimal) -> str | None:
    whole = value == value.to_integral_value()
    if kind == Indicator.Kind.IMD_DECILE and not (whole and 1 <= value <= 10):
        return f"an IMD decile is a whole number from 1 to 10, not {value.normalize()}"
    if kind == Indicator.Kind.IMD_RANK and not (whole and value >= 1):
        return f"an IMD rank is a whole number from 1, not {value.normalize()}"
    if kind == Indicator.Kind.POPULATION and not (whole and value >= 0):
        return f"a population is a whole number, not {value.normalize()}"
    return None


def read_figures(file, *, kind: str, skip_unknown: bool = False) -> tuple[Figures | None, Problems]:
    """One indicator's figures per ward, or per LSOA with each LSOA's ward and population
    (averaged to wards, weighted by population; a population given per LSOA is added up).
    Raises UploadError for a file that is not a CSV of these columns."""
    try:
        table = read_csv(file, max_rows=MAX_ROWS, clean_header=lambda h: h.strip().lower())
    except CSVFileError as exc:
        raise UploadError(str(exc)) from exc
    header = table.header
    if not header:
        raise UploadError("The file is empty")
    by_lsoa = "lsoa_code" in header
    required = list(LSOA_COLUMNS if by_lsoa else WARD_COLUMNS)
    if by_lsoa and kind == Indicator.Kind.POPULATION:
        required.remove("population")  # the value is the LSOA's population
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in LSOA_COLUMNS + NAME_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing columns: {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown columns: {', '.join(c or '(blank)' for c in unknown)}")
        raise UploadError(
            f"The header row has {'; '.join(parts)}. Expected {', '.join(WARD_COLUMNS)} "
            f"(figures per ward) or {', '.join(LSOA_COLUMNS)} (figures per LSOA)"
        )
    if len(table.rows) > MAX_ROWS:
        raise UploadError(f"The file must have {MAX_ROWS:,} rows or fewer")
    if not table.rows:
        raise UploadError("The file has a header row but no figures")

    codes = [(row.get("ward_code") or "").strip().upper() for row in table.rows]
    wards = wards_by_code(c for c in codes if ONS_CODE.match(c))
    problems = Problems()
    seen = {}  # ward code (or LSOA code) -> first row number
    sums: dict[int, list[Decimal]] = {}  # ward id -> [sum of value x weight, sum of weight]
    skipped = 0
    for number, (row, code) in enumerate(zip(table.rows, codes, strict=True), start=2):
        messages = []
        if None in row:
            messages.append("this row has more cells than the header")
        ward = wards.get(code)
        if not code:
            messages.append("ward_code is empty")
        elif not ONS_CODE.match(code):
            messages.append(f"ward_code “{code[:20]}” is not an ONS code (like E05015460)")
        elif ward is None and skip_unknown:
            skipped += 1
            continue
        elif ward is None:
            messages.append(f"no ward has the ONS code {code}: add it as an area first")
        key = (row.get("lsoa_code") or "").strip().upper() if by_lsoa else code
        if by_lsoa and not key:
            messages.append("lsoa_code is empty")
        elif key and key in seen:
            messages.append(f"{key} is also on row {seen[key]}")
        else:
            seen[key] = number
        value, problem = parse_number(row.get("value"), "value")
        if problem or (problem := check_value(kind, value)):
            messages.append(problem)
        weight = Decimal(1)
        if by_lsoa and kind != Indicator.Kind.POPULATION:
            weight, problem = parse_number(row.get("population"), "population")
            if problem:
                messages.append(problem)
            elif weight <= 0:
                messages.append("population must be more than 0 to weight the LSOA's figure")
        problems.add(number, messages)
        if not messages:
            total = sums.setdefault(ward.pk, [Decimal(0), Decimal(0)])
            total[0] += value * weight
            total[1] += weight
    if problems:
        return None, problems
    if not sums:
        raise UploadError("No row is for one of our wards: nothing to save")
    if by_lsoa and kind != Indicator.Kind.POPULATION:
        values = {w: (s / n).quantize(THOUSANDTH, ROUND_HALF_UP) for w, (s, n) in sums.items()}
    else:
        values = {w: s for w, (s, _) in sums.items()}
    return Figures(values=values, from_lsoas=by_lsoa, rows=len(table.rows), skipped=skipped), (
        problems
    )


def read_geojson(file) -> dict:
    data = file.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError("The file is not UTF-8 text: it must be a GeoJSON file") from exc
    if "\x00" in text:
        raise UploadError("The file is not a GeoJSON file (it contains binary data)")

    def refuse_constant(name):
        raise ValueError(f"{name} is not a number GeoJSON allows")

    try:
        document = json.loads(text, parse_constant=refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise UploadError(f"The file is not valid JSON: {str(exc)[:120]}") from exc
    if not isinstance(document, dict):
        raise UploadError("The file is not a GeoJSON FeatureCollection")
    crs = json.dumps(document.get("crs", ""))
    if "27700" in crs:
        raise UploadError(
            "The boundaries are in British National Grid (EPSG:27700): download the GeoJSON "
            "in WGS84 (longitude and latitude, EPSG:4326) instead"
        )
    if document.get("type") == "Feature":
        return {"type": "FeatureCollection", "features": [document]}
    if document.get("type") != "FeatureCollection" or not isinstance(
        document.get("features"), list
    ):
        raise UploadError("The file is not a GeoJSON FeatureCollection of ward boundaries")
    return document


def _ring_problem(ring) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "a ring of a polygon needs at least 4 points"
    for position in ring:
        if not (
            isinstance(position, list)
            and len(position) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in position[:2])
        ):
            return "a point is not a pair of numbers (longitude, latitude)"
        lon, lat = position[0], position[1]
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return "a point is not a pair of numbers (longitude, latitude)"
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return (
                f"the point ({lon}, {lat}) is not a longitude and latitude: the file must be "
                "in WGS84 (EPSG:4326), not British National Grid metres"
            )
    if ring[0][:2] != ring[-1][:2]:
        return "a ring of a polygon does not end where it starts"
    return None


def clean_geometry(geometry) -> tuple[dict | None, str | None, int]:
    """(geometry with 2D points rounded to 6 places, None, points) or (None, problem, 0)."""
    if not isinstance(geometry, dict):
        return None, "it has no geometry", 0
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return None, f"its geometry is a {str(kind)[:30]}, not a Polygon or MultiPolygon", 0
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return None, "its geometry has no coordinates", 0
    points = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return None, "a polygon has no rings", 0
        for ring in polygon:
            if problem := _ring_problem(ring):
                return None, problem, 0
            points += len(ring)
    cleaned = [
        [[[round(p[0], 6), round(p[1], 6)] for p in ring] for ring in polygon]
        for polygon in polygons
    ]
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": cleaned[0]}, None, points
    return {"type": "MultiPolygon", "coordinates": cleaned}, None, points


def ward_code_of(feature) -> str:
    properties = feature.get("properties")
    if not isinstance(properties, dict):
        return ""
    for key, value in properties.items():
        if WARD_CODE_PROPERTY.match(str(key)) and isinstance(value, str):
            return value.strip().upper()
    return ""


def read_boundaries(file, *, skip_unknown: bool = False) -> tuple[Boundaries | None, Problems]:
    """Each feature's ward (from a WD24CD-style or ward_code property) and its outline.
    Raises UploadError for a file that is not a GeoJSON FeatureCollection."""
    features = read_geojson(file)["features"]
    if not features:
        raise UploadError("The file has no features (ward boundaries)")
    codes = [ward_code_of(f) if isinstance(f, dict) else "" for f in features]
    wards = wards_by_code(c for c in codes if ONS_CODE.match(c))
    problems = Problems()
    geometries, seen, skipped, points = {}, {}, 0, 0
    for number, (feature, code) in enumerate(zip(features, codes, strict=True), start=1):
        messages = []
        ward = wards.get(code)
        if not code:
            messages.append("it has no ward code (a property such as WD24CD or ward_code)")
        elif not ONS_CODE.match(code):
            messages.append(f"its ward code “{code[:20]}” is not an ONS code (like E05015460)")
        elif ward is None and skip_unknown:
            skipped += 1
            continue
        elif ward is None:
            messages.append(f"no ward has the ONS code {code}: add it as an area first")
        elif code in seen:
            messages.append(f"{code} is also feature {seen[code]}")
        else:
            seen[code] = number
        geometry, problem, count = clean_geometry(
            feature.get("geometry") if isinstance(feature, dict) else None
        )
        points += count
        if points > MAX_POSITIONS:
            raise UploadError(
                f"The boundaries have more than {MAX_POSITIONS:,} points: download the "
                "generalised (BGC or BSC) boundaries rather than the full-resolution ones"
            )
        if problem:
            messages.append(problem)
        problems.add(number, messages)
        if not messages:
            geometries[ward.pk] = geometry
    if problems:
        return None, problems
    if not geometries:
        raise UploadError("No feature is one of our wards: nothing to save")
    return Boundaries(geometries=geometries, skipped=skipped), problems
