"""The words the entity rules look for around and inside names, in one place.

Kept apart from the rules so that a word added for one rule is seen by every rule
that shares the list, and so the lists can be read (and grown) without the code.
"""

from __future__ import annotations

OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", ":", "—", "–", "-", "…"})

PARTICLES = frozenset(
    "de du des da di del della dos das van von der den ter al el bin ibn bint abu la le".split()
)

DOT_ABBR = frozenset(
    "mr mrs ms dr st mt ft gen sen rep gov lt col capt sgt prof rev adm maj cmdr hon jr sr "
    "inc corp co ltd bros".split()
)

OF_HEADS = frozenset("republic kingdom states isle islands people horn".split())

CONNECT = frozenset({"of", "and", "&", "the", "for", "'s", "’s"})

LOCATIVE = frozenset(
    "in at near from to outside of into across around via towards toward within".split()
)

PRODUCT_NOUNS = frozenset(
    """pipeline pipelines system systems jet jets fighter fighters missile missiles airliner
    airliners jetliner jetliners plane planes helicopter helicopters drone drones tank tanks
    rifle rifles warship warships submarine submarines satellite satellites rocket rockets
    vaccine vaccines drug drugs phone phones smartphone smartphones handset handsets device
    devices laptop laptops tablet tablets software app apps browser console consoles processor
    processors chip chips engine engines car cars vehicle vehicles truck trucks reactor
    reactors platform operating superjumbo superjumbos""".split()
)

AMBIGUOUS_TITLES = frozenset("general major chief senior state national royal first".split())

DETERMINERS = frozenset("the a an this that these those its his her their our".split())

DISEASES = frozenset(
    "ebola zika marburg lassa nipah mpox covid covid-19 sars mers hiv aids h5n1 chikungunya".split()
)
"""Diseases news names with a capital: no organisation, and never a quote's speaker."""

ZONES_AND_SCALES = frozenset(
    "GMT UTC ET EST EDT CT CST CDT PT PST PDT BST CET CEST EET EEST MSK IST JST AEST AEDT "
    "Fahrenheit Celsius".split()
)
"""Time zones and temperature scales: capitalised, never the name of anything in a story."""

KEY_DROP = frozenset("group holding holdings".split())

PLACE_FIRST = frozenset(
    # Place words that lead a name in other languages: "Place de la Concorde", "Rua Augusta".
    """place plaza piazza praca rue rua calle via avenida lago rio isla ile monte jabal jebel wadi
    mount mt lake cape isle""".split()
)

GEO_NOUNS = frozenset(
    # Lower-case geographic nouns after a name make it a place: "the Tarn river", "Lhotse peak".
    """river rivers peak peaks mountain mountains range ranges valley valleys lake lakes sea
    strait straits desert island islands peninsula region province state county district
    glacier volcano delta basin plateau canyon gorge creek bay coast highlands hills hill
    archipelago estuary lagoon reservoir waterfall falls forest ridge massif""".split()
)

ORG_NOUNS = frozenset(
    # Lower-case nouns an organisation's name follows: "the law firm Clifford Chance".
    """firm company companies group startup start-up lender bank insurer carmaker automaker
    retailer broadcaster newspaper publisher airline carrier chipmaker conglomerate brand
    label agency club charity consultancy manufacturer supplier association union
    organisation organization nonprofit non-profit""".split()
)

PERSON_VERBS = frozenset(
    # Verbs right after a name of two or more words that only people do.
    """resigned married divorced coached testified pleaded smiled laughed retired apologised
    apologized scored""".split()
)

PERSON_PASSIVES = frozenset(
    "born appointed elected sworn arrested sentenced jailed knighted nominated hired".split()
)

ORDINALS = frozenset(
    """first second third fourth fifth sixth seventh eighth ninth tenth final opening last
    1st 2nd 3rd 4th 5th 6th 7th 8th 9th 10th""".split()
)

OFFICE_HEADS = frozenset("department ministry".split())

FUNDING_NEXT = frozenset("round rounds funding financing".split())

RACE_WORDS = frozenset("black white brown indigenous".split())

MOTION_VERBS = frozenset(
    """moved move moves flew fly flies travelled traveled travel travels returned return returns
    went go goes fled flee relocated relocate headed heading deployed sailed drove came come
    comes arrived evacuated migrated""".split()
)

COMPANY_NEXT = frozenset(
    """said says announced reported posted shares stock stocks chief executive ceo founder
    board investors customers employees workers plans""".split()
)

CLASSIFIERS = frozenset(
    """clade type phase stage category class grade level variant strain subtype lineage serotype
    tier article section chapter schedule group model version""".split()
)

OF_WORDS = frozenset("of for de del du des da di do dos das".split())

COMPASS = frozenset(
    """east west north south northern southern eastern western central upper lower greater
    northeast northwest southeast southwest north-east north-west south-east south-west""".split()
)

SAID = frozenset(
    """said says told tells added adds explained insisted argued warned claimed recalled wrote
    stressed admitted noted replied""".split()
)

# After a sentence-initial word, what makes it a company: strong cues alone ("Apple shares
# rose", "Siemens' profit fell"), weak ones ("Nvidia said") only when said twice.
STRONG_COMPANY_NEXT = frozenset("shares stock stocks".split())

COMPANY_OWNS = frozenset(
    """shares stock profit profits revenue revenues sales earnings chief ceo board stake
    market products""".split()
)

COMPANY_NEXT_OR_OWNS = COMPANY_NEXT | COMPANY_OWNS

PROGRAMME = frozenset({"programme", "program"})

NOT_MODIFIERS = frozenset("of for in at with and or who which that whose".split())

APPOSITION_ENDS = frozenset({",", ".", ";", "who", "whose", "which", "that", "based", "owned", "—", "–"})

GENITIVE_HEADS = frozenset("women men people children workers veterans".split())
"""Plural nouns that open a name through "'s": "Women's World Cup", "People's Bank"."""

MEMBERS = frozenset(
    """officials analysts economists researchers scientists executives staff employees workers
    members lawyers experts engineers investors shareholders directors managers""".split()
)

UN_FIRST = frozenset({"world", "un", "united"})

# What only a listed company has, for names that otherwise read like a person's.
TRADED_BEFORE = frozenset("shares stock shareholders stake".split())

TRADED_OWNS = frozenset("shares stock shareholders profit profits revenue revenues earnings".split())

MARKET_MOVES = frozenset(
    """rose fell jumped slid dropped gained climbed tumbled slumped surged soared sank plunged
    rallied slipped edged added lost were are have had closed ended traded""".split()
)

WEAK_COMPANY_NEXT = frozenset(
    "said says announced reported posted plans will has unveiled launched".split()
)

SECTORS = frozenset(
    """oil gas energy power tech technology bank banks banking mining miner miners airline
    airlines chip chipmaker property retail retailer auto automaker carmaker steel insurance
    insurer utility utilities defence defense pharma pharmaceutical biotech telecom telecoms
    media shipping construction travel consumer food healthcare housing market markets
    stock equity""".split()
)

OF_FOR = frozenset({"of", "for"})

OFFICE_SPEAKS = frozenset("said says announced confirmed denied insisted added".split())

POSSESSIVE = frozenset({"'s", "’s", "'", "’"})

COMPANY_CUES = POSSESSIVE | STRONG_COMPANY_NEXT | WEAK_COMPANY_NEXT
"""What after a sentence's first word can make it a company (see `Doc._count_company_cue`)."""

CURRENCY_TOKENS = frozenset("rs rp usd eur gbp jpy cny rmb chf inr rub aud cad".split())

STRONG_PLACE_PREPS = frozenset("in near across outside throughout around within".split())

SWORN = frozenset("sworn swore swear swears swearing".split())
"""'Swore in X' is a person taking office, not something happening in a place."""

STAKE_NOUNS = frozenset(
    "stake stakes investment investments shares interest interests role job jobs".split()
)

TOWN_LOCATIVES = frozenset("in at from to near outside inside into across around toward towards via".split())
