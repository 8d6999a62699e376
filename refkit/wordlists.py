"""The words that reading names depends on, as data, in one place.

Every module that needs one of these lists imports it from here (`names` reads listings with them,
`keys` files "van der Berg" under Berg with `PARTICLES`), so they cannot disagree. Words are
lower-case; degrees are also written without dots or hyphens ("M.D." and "md", "PA-C" and "pac"),
see `bare`. Nothing here is about one wiki's subject: a line is told from a listing by its shape
(`names`), never by topic words such as "vitamin"."""

from __future__ import annotations

import functools


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@functools.lru_cache(maxsize=16384)
def bare(token: str) -> str:
    """A token as the lists hold it: lower-case, without dots or hyphens ("Ph.D." -> "phd")."""
    return token.casefold().replace(".", "").replace("-", "")


PARTICLES = _words(
    "van von der den de del della dei degli di da das do dos du la le lo las los ter ten te vom zu zur "
    "af av við al el ibn bin st op"
)
"""Words that belong to the family name that follows them: "van der Berg", "de la Cruz", "Al Mahmud",
"St Germain", "op de Beek". Written with a capital they are still particles ("Van der Kwast", "Del Pistoia"),
except `CAPITALISED_GIVEN`."""

CAPITALISED_GIVEN = _words("bin da le")
"""Particles that, written with a capital, are given names far more often: "Xue Bin Peng",
"Da Wei Yin". Lower-case ("bin Ahmad") they stay particles."""

CONJUNCTIONS = _words("and und et y en og och ja ve és")
"""Words joining the last two names, in the languages listings are written in: "… and M. Herrmann",
"GUILLAUMET ET JEAN", "Mayer und Weber", "Pérez y López", "de Vries en Jansen", "Berg och Holm",
"Akın ve Döğer"; in lower case, but `CAPITALISED_CONJUNCTIONS`. Not "e" nor "i": they join the
parts of one family name ("Oliveira e Silva", "Puig i Cadafalch")."""

CAPITALISED_CONJUNCTIONS = _words("and und et")
"""Conjunctions also written with a capital ("VicePresident And Ben Broderson", "GUILLAUMET ET JEAN");
the others are then an initial or a given name ("Z. Y. Xie", "Ja Young Kim", "En Li")."""

SUFFIXES = _words("jr sr ii iii iv 2nd 3rd 4th")
"""Generational suffixes: "Camargo CA Jr", "Ager JW 3rd", "Robert W. Heath, Jr."."""

HONORIFICS = _words("dr prof professor mr mrs ms miss sir dame")
"""Forms of address before a name: "Prof Ian R Reid", "Dr. Thomas J. Lovely" ("A/Prof" is cleaned to "Prof")."""

DEGREES = _words(
    "md phd msc mph mha rd rn ba bs bsc ma ms mba mpa jd dphil drph scd dsc mbbs mbchb mbbch bmbch bm bch chb "
    "frcp frcpc frcpa frcpch frcs frcog fracp facp facs faap facog facc fache face fccp faha fasn faacb faan fafphm "
    "mrcp mrcpch mrcog pharmd bpharm mpharm rph dds dmd do nd dvm vmd edd psyd mphil msn msph mmed mbe "
    "np cnp fnp anp aprn crnp dnp pac ccrp rdn ld cdn lpn aocn med bcps pa "
    "scm mres mstat dmsc bchir mhs cde fada fnla anpbc fnpbc rnbc npc"
)
"""Degrees and post-nominal letters: "Sadeq A. Quraishi, MD, MHA1", "Shuchi Anand, MD∗",
"Ph.D.", "FRCPA", "Benjamin M. Althouse, ScM", "Shani V. Davis, MSN, ANP-BC, CDE". Two-letter ones ("MD", "MS", "MA", "DO") are also initials in PubMed listings
("Kalaras MD", "Chenlin Ma" has a family name): `names` reads them by the listing's style."""

ROLES = _words(
    "member fellow senior student ieee spe asme professor assistant associate clinical research researcher "
    "chairman chair director editor editors eds ed investigator lecturer resident habil med analyst candidate "
    "scientist consultant physician nurse dietitian epidemiologist statistician postdoctoral doctoral "
    "manager deputy president vicepresident engineer officer coordinator principal"
)
"""Roles and society grades after a name: "Michael B. Pursley, Fellow, IEEE", "Senior Member",
"Christopher M Worsham, assistant professor", "Tharsiya Nagulesapillai, data analyst", "(Eds.)",
"Anna P Ralph, MPH, FRACP, PhD, Clinical Research Fellow1"."""

NOTES = _words("email mail correspondence corresponding orcid contributor contributors")
"""Page furniture copied with a listing: PLoS "email" icons, "Corresponding author", "ORCID"."""

IDENTIFIER_WORDS = _words("doi pmid pmcid pmc pii issn isbn epub pdf")
"""Words that introduce identifiers: "Hepatology DOI: 10.1002/…" is a journal, not "Hepatology D. O. I."."""

ORGANISATION_WORDS = _words(
    "organization organisation group consortium collaboration collaborative committee investigators "
    "society association institute council foundation network team agency panel board federation "
    "academy commission authority taskforce force alliance working writing participants members ministry "
    "study initiative project cohort"
)
"""Words that make a name an organisation: "POWER Study Group", "EFSA Panel on …", "ExSTRA investigators",
"Health, Aging and Body Composition Study", "Swiss National Cohort (SNC)"."""

INSTITUTION_WORDS = _words(
    "department dept departamento dipartimento département university universidad universidade università "
    "universität universite université hospital hospitais ospedale college school faculty faculdade facultad "
    "division laboratory clinic unit centre center"
)
"""Words naming the parts of an institution in an author's address ("Department of Oncology, University of
Sheffield")."""

AFFILIATION_WORDS = INSTITUTION_WORDS | _words("street road box inc ltd gmbh verlag usa received accepted revised published copyright")
"""Words of affiliations, addresses and article history: a line holding one does not list authors
("Institute" is not one: "Institute of Medicine" writes reports)."""

FUNCTION_WORDS = _words(
    "the of in with for on to from at by as is are was were be been a an or not vs versus than that "
    "this these those which what when where how why we our their its it into over under about after "
    "before between during within without among per via"
)
"""English function words: they make a line prose or a title ("Role of Vitamin K in Bone", "THE
IMPACT OF PARASITES"), never a listing, except inside an organisation's name."""

FAMILY_NAME_FUNCTION_WORDS = _words("an to per")
"""Function words that are also names ("An Li", "To MD", "Per Lenner"): only in lower case are they function words."""

JOURNAL_FUNCTION_WORDS = _words("of and the in for & de la y et und für die der des du di del della zur zum les e")
"""Words joining the words of a journal's name, in the languages journals are named in ("Journal of …",
"Revista de la …", "Journal für die reine und angewandte Mathematik"): a citation line holding them
is no prose."""
