"""What the RCT detectors look for, in French and English.

Every pattern runs on folded text (lower case, no accents, straight
apostrophes; see `bot.rct.text.fold_aligned`), so one entry covers "Tâche", "tache" and
"TACHE". Both languages are always searched: people mix them ("Peux-tu écrire
un cold email? Keep it short").

The lists follow the product's definitions in `shared/rct-spec.md` (the
authority: the sets the scorer is judged on are labelled by it); each group
says which clause it implements. Where the older guide,
`tests/data/RCT_LABELLING.md`, disagrees, the spec wins.

Speed: each rule names the words it cannot match without (`_rule`), some a
second gate (`_needs`), so that a prompt runs a handful of the patterns. A
gate word must be a whole word of every match (a space or a word boundary on
both sides in the pattern), so that a rule left asleep never changes a
result; tests/test_rct.py checks this on every labelled prompt. Measured on
the 2,199 labelled prompts (3 December 2026): PROTOCOL, woken by "a", "si"
or "vous" before, ran for 70 % of them and matched 2 %; its narrower
triggers run it for 31 %; the second gates of 2 fact rules, 2 format rules,
a request rule and an audience rule wake 11.1 → 9.8 patterns of these sets a prompt.
`woken` looks the prompt's words up in the index and ORs bit masks (it
walked the whole index before: 10 µs for the 483 words of the audience rules
on a 15-word prompt, now 1 µs), and rule patterns are told apart by identity,
never hashed (hashing a compiled pattern hashes its compiled code: 6 µs).
"""

from __future__ import annotations

import re


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.M)


DIGIT = "#d"  # the pseudo-word a prompt's word set holds when the prompt has a digit


def _rule(triggers: str, pattern: str) -> tuple[frozenset[str], re.Pattern[str]]:
    """A pattern with the words (one at least) it cannot match without: a cheap gate before the regex."""
    return frozenset(triggers.split()), _c(pattern)


Rules = tuple[tuple[frozenset[str], re.Pattern[str]], ...]


def index(rules: Rules) -> dict[str, int]:
    """Trigger word → the rules it wakes up, as a bit mask (bit i for rule i), so a prompt looks up its words once
    and ORs their masks: the rules to run are then the mask's bits, already in rule order."""
    found: dict[str, int] = {}
    for i, (triggers, _) in enumerate(rules):
        for word in triggers:
            found[word] = found.get(word, 0) | 1 << i
    return found


def _gates(alternatives: str) -> str:
    """Gate words for a plain alternation ("avocats?|coffee shop|organi[sz]ation"): one word each alternative
    cannot match without, in both forms when its last letter is optional."""
    gates: set[str] = set()
    for alt in alternatives.split("|"):
        alt = alt.replace("[sz]", "s").replace("-?", "")
        forms = [alt[:-2] + alt[-2], alt[:-2]] if alt.endswith("?") else [alt]
        for form in forms:
            tokens = re.findall(r"[a-z0-9]+", form.replace("(?:", "").replace(")", ""))
            if tokens:
                gates.add(max(tokens, key=len))
    gates.update(("organization", "neighbors", "neighbours"))
    return " ".join(sorted(gates))


# A second gate for some rules: one of these words must occur too ("12 salariés" needs a digit AND a noun of
# the list). A digit-led pattern tried at every number of a 10,000-character table costs milliseconds; the
# word lookup costs nothing. Keyed by the pattern's id(), not the pattern: hashing a compiled pattern hashes
# its whole compiled code, about 6 µs for these long ones, every time (the patterns live as long as the module).
NEEDS: dict[int, frozenset[str]] = {}


def _needs(
    rule: tuple[frozenset[str], re.Pattern[str]], alternatives: str = "", words: str = ""
) -> tuple[frozenset[str], re.Pattern[str]]:
    """`rule`, woken only when the prompt also holds a gate word of `alternatives` (see `_gates`), or one of `words`.

    A gate word must be a whole word of every match (a space or a word boundary on both sides in the pattern),
    so that a prompt without one cannot match: the gate then saves the scan and changes no result.
    """
    NEEDS[id(rule[1])] = frozenset(_gates(alternatives).split() if alternatives else words.split())
    return rule


def woken(rules: Rules, by_word: dict[str, int], words: set[str]) -> list[re.Pattern[str]]:
    """The patterns, in rule order, whose trigger words occur among `words` (and their second gate, if any).

    `by_word.keys() & words` walks the smaller of the two (a short prompt has a dozen words, an index up to
    500), where `words.intersection(by_word)` walked the whole index.
    """
    mask = 0
    for word in by_word.keys() & words:
        mask |= by_word[word]
    found: list[re.Pattern[str]] = []
    while mask:
        lowest = mask & -mask
        pattern = rules[lowest.bit_length() - 1][1]
        needs = NEEDS.get(id(pattern))
        if needs is None or not needs.isdisjoint(words):
            found.append(pattern)
        mask ^= lowest
    return found


# ---------------------------------------------------------------- labels
# "Rôle :", "## Contexte", "Task -": a label followed by some content.
_LABEL_TAIL = r"[ \t]*(?:[:=\-\u2013\u2014>][ \t]*\n?|\n)[ \t]*(?=[^\s:=\-])"
_LABEL_HEAD = r"^[ \t]*[#*\-\u2022>\d.)]*[ \t]*\**[ \t]*"
_ROLE_LABELS = r"role|persona|ton role|votre role|your role|ai role"
_CONTEXT_LABELS = (
    r"contexte|context|background|situation|cible|public(?: vise| cible)?|audience|target(?: audience)?|"
    r"contraintes?|constraints?|donnees|data|produit|product|brief|infos?|informations?|entreprise|company|"
    r"a propos|about(?: us| me)?|qui je suis|who i am|details|le client|client"
)
_TASK_LABELS = (
    r"tache|task|mission|demande|consigne|instructions?|objectif|ask|request|todo|a faire|livrable|"
    r"deliverable|ta mission|ta tache|your task"
)
_FORMAT_LABELS = (
    r"format(?: de sortie| attendu)?|ton|tone|style|longueur|length|output(?: format)?|sortie|forme|"
    r"structure|langue|language|presentation|rendu"
)
LABEL_ROLE = _c(_LABEL_HEAD + r"(?:" + _ROLE_LABELS + r")\**" + _LABEL_TAIL)
LABEL_CONTEXT = _c(_LABEL_HEAD + r"(?:" + _CONTEXT_LABELS + r")\**" + _LABEL_TAIL)
LABEL_TASK = _c(_LABEL_HEAD + r"(?:" + _TASK_LABELS + r")\**" + _LABEL_TAIL)
LABEL_FORMAT = _c(_LABEL_HEAD + r"(?:" + _FORMAT_LABELS + r")\**" + _LABEL_TAIL)
# All four at once, for a single pass: the group that matched names the part.
LABELS = _c(
    _LABEL_HEAD
    + r"(?:(?P<role>" + _ROLE_LABELS + r")|(?P<context>" + _CONTEXT_LABELS + r")|(?P<task>" + _TASK_LABELS
    + r")|(?P<format>" + _FORMAT_LABELS + r"))\**" + _LABEL_TAIL
)
LABEL_MARKS = ":-=>\n\u2013\u2014"  # a prompt without any of these has no label

# ---------------------------------------------------------------- role (spec: "Rôle")
# "Tu es …" is a role unless the next word says something else: "tu es capable", "vous êtes sûr"…
_NOT_A_ROLE_WORD = (
    r"(?!la\s*[?!.]|(?:capables?|sure?s?|certaine?s?|libres?|ici|d'accord|en|prete?s?|bien|gentile?l?e?|geniale?|nulle?|bonn?e?|"
    r"forte?|trop|tres|vraiment|pas|toujours|encore|deja|disponibles?|dispo|connectee?|au|contente?|ravie?|censee?|"
    r"obligee?|autorisee?|tenue?|dans|a|avec|chez|de|du|un peu|plus|moins|si|aussi|comme|ne|n'|parti|partie|"
    r"cense|sense|occupee?|la pour|there|here)\b)"
)
ROLE_RULES: Rules = (
    # "Tu es un expert…", "Vous êtes une consultante…", "T'es un pro…"
    _rule("es etes seras serez deviens devenez joues incarnes", r"\b(?:tu es|t'es|vous etes|tu seras|vous serez|tu deviens|vous devenez|tu joues|tu incarnes)\s+"
       r"(?:(?:desormais|maintenant|a present|aujourd'hui|donc|ici)\s+)?" + _NOT_A_ROLE_WORD + r"[a-z]"),
    _rule("tant qualite role", r"\b(?:agis|agissez|agir|comporte-toi|comportez-vous|conduis-toi|reponds|repondez|parle|parlez|ecris|"
       r"redige|redigez)\s+(?:en tant qu|en qualite d|dans le role d)"),
    _rule("agis agissez agir comporte comportez conduis", r"\b(?:agis|agissez|agir|comporte-toi|comportez-vous|conduis-toi)\s+comme\b"),
    _rule("peau place role", r"\b(?:mets|mettez|glisse|glissez)[- ](?:toi|vous)\s+(?:dans la peau|a la place|dans le role)"),
    _rule("peau", r"\bdans la peau d(?:'un|'une|u|e la|es)\b"),
    _rule("imagine imaginez suppose supposons imaginons", r"\b(?:imagine|imaginez|suppose|supposons|imaginons)\s+(?:que\s+)?(?:tu es|tu sois|vous etes|vous soyez|tu etais|vous etiez)\b"),
    _rule("imagine imaginez", r"\b(?:imagine|imaginez)[- ](?:toi|vous)\b"),
    _rule("etais etiez", r"\bcomme si\s+(?:tu etais|vous etiez)\s+(?:un|une|le|la|l'|mon|ma|notre)\b"),
    _rule("casquette", r"\b(?:avec|prends|prenez|mets|mettez|enfile|enfilez) (?:ta|votre|la) casquette (?:de|d')"),
    _rule("ferait feraient would", r"\b(?:comme|as|like) (?:un|une|le|la|a|an|the) (?:[\w'-]+ ){1,3}(?:le ferait|l'aurait fait|would)\b"),
    _rule("deviens devenez pretends pretendez", r"\b(?:deviens|devenez) (?:un|une|mon|ma|le|la|l'|notre)\b|\b(?:pretends|pretendez) etre\b"),
    _rule("adopte adoptez point posture regard", r"\b(?:adopte|adoptez|prends|prenez) (?:le point de vue|la posture|le regard|la perspective) d"),
    _rule("joue jouez", r"\b(?:joue|jouez) (?:un|une|le|la|l'|mon|ma) (?!jeu\b|match\b|morceau\b|air\b|partie\b|role\b|tour\b)[a-z]"),
    _rule("role", r"\b(?:joue|jouez|jouer|joues|prends|prenez|prendre|endosse|endossez|tiens|tenez|adopte|adoptez)\s+"
       r"(?:le |un )?role\b"),
    _rule("jouer incarner etre", r"\b(?:tu vas|vous allez|tu dois|vous devez)\s+(?:jouer|incarner|etre)\s+(?:un|une|le|la|l'|mon|ma)\b"),
    _rule("incarne incarnez incarner", r"\b(?:incarne|incarnez|incarner)\s+(?:un|une|le|la|l'|mon|ma)\b"),
    _rule("sois soyez", r"\b(?:sois|soyez)\s+(?:mon|ma|notre|un|une)\b"),
    _rule("sois soyez agisses agissiez joues jouiez incarnes deviennes", r"\b(?:je veux|je voudrais|j'aimerais|je souhaite)\s+que\s+(?:tu|vous)\s+(?:sois|soyez|agisses|agissiez|joues|jouiez|incarnes|deviennes)\b"),
    _rule("role", r"\b(?:ton|votre) role (?:est|sera|:)"),
    # English
    _rule("you youre", r"\byou(?:'re| are| r|'ll be| will be| will now be| are now)\s+(?:now\s+)?(?:a|an|the|my|our|acting|playing|expert|professional|senior)\b"),
    _rule("act acting behave behaving", r"\b(?:act|acting|behave|behaving)\s+(?:as|like)\b"),
    _rule("pretend", r"\bpretend\s+(?:to be|you are|you're|youre|ur|u r|that you are|that you're)\b"),
    _rule("imagine", r"\bimagine\s+(?:you are|you're|youre|that you are|that you're|yourself as)\b"),
    _rule("role persona shoes", r"\b(?:play|take|assume|take on|step into|adopt)\s+(?:the )?(?:role|persona|shoes)\b"),
    _rule("roleplay role play", r"\b(?:role-?play|roleplay)\s+as\b"),
    _rule("act be play pretend behave become", r"\bi (?:want|need|would like|'d like)\s+you\s+to\s+(?:act|be|play|pretend|behave|become)\b"),
    _rule("act be play", r"\bi'd like you to (?:act|be|play)\b"),
    _rule("be become", r"\b(?:be|become)\s+my\b"),
    _rule("role", r"\byour role is\b"),
    _rule("shoes", r"\bput yourself in the shoes\b"),
)
ROLE_RULES_BY_WORD = index(ROLE_RULES)
# "En tant que X, …" / "As a X, …": a role when the sentence goes on with an order to the AI,
# the member's own identity when it goes on with "je", "I", "we"…
ROLE_AS = _c(
    r"(?:^|[.!?\n]\s*|,\s*)(?:en tant qu(?:e |')|as an? (?!(?:table|list|bulleted|numbered|json|csv|markdown|single|short|"
    r"one|poem|story|email|e-mail|letter|summary|paragraph|whole|rule|reminder|result|bonus|pdf|word|checklist)\b))"
)
ROLE_AS_SELF = re.compile(r"\s*(?:je|j'|nous|on|mon|ma|mes|notre|nos|i|i'm|i've|we|we're|my|our|me)\b")
# "Tu es Steve Jobs" / "You are ChatGPT": a proper name, checked on the original text.
ROLE_NAME = re.compile(
    r"\b(?:[Tt]u es|[Vv]ous [êe]tes|[Yy]ou are|[Yy]ou're|[Ii]ncarne|[Ii]ncarnez|[Dd]eviens|[Dd]evenez|[Bb]ecome|"
    r"[Pp]lay the role of|[Pp]retend to be)\s+['\"«“‘]?\s*(?:[A-Z][a-z]+|[A-Z]{2,}\b)|"
    r"\b(?:[Tt]u es|[Vv]ous [êe]tes|[Yy]ou are|[Yy]ou're|[Aa]gis comme|[Aa]ct as)\s+[\[{]"
)
NOT_ROLE_AFTER_YOU_ARE = re.compile(
    r"\byou(?:'re| are)\s+(?:a|an|the)?\s*(?:given|provided|able|going|allowed|free|not|welcome|right|correct|"
    r"sure|supposed|asked|required|expected|tasked|helping)\b"
)

# ---------------------------------------------------------------- task (spec: "Tâche")
_FR_ER = (
    "redig cre gener propos donn list resum expliqu corrig reformul amelior analys compar trouv sugger prepar "
    "transform calcul estim class tri verifi optimis organis planifi dress present identifi synthetis complet "
    "adapt simplifi developp argument evalu critiqu recommand conseill montr aid pos simul commenc continu "
    "invent brainstorm challeng structur cit selectionn elabor detaill precis indiqu enumer formul illustr "
    "test debogu racont parl chiffr cherch pens relev repertori recens reorganis rectifi ajout retir supprim "
    "remplac termin finalis justifi interpret decompos prioris hierarchis categoris compil imagin accompagn "
    "guid entrain interrog questionn modifi allong etoff vulgaris clarifi dessin regard coach imagin reform "
    "traduis pass explor examin explicit sublim dynamis personnalis "
)
_FR_IRREGULAR = (
    "ecris ecrivez ecrire reecris reecrivez reecrire fais faites faire refais refaites traduis traduisez "
    "traduire dis dites dire decris decrivez decrire relis relisez relire lis lisez lire etablis etablissez "
    "etablir construis construisez construire extrais extrayez extraire reponds repondez repondre convertis "
    "convertissez convertir reprends reprenez reprendre choisis choisissez choisir definis definissez definir "
    "fournis fournissez fournir remplis remplissez remplir produis produisez produire reduis reduisez reduire "
    "concois concevez concevoir sors sortez sortir mets mettez mettre resous resolvez resoudre rends rendez "
    "rendre approfondis approfondissez approfondir enrichis enrichissez enrichir raccourcis raccourcissez "
    "raccourcir finis finissez finir envoie envoyez envoyer rappelle rappelez rappeler jette jetez "
    "apprends apprenez apprendre trie triez trier ponds fait"
)
_FR_FORMS = " ".join(f"{s}e {s}ez {s}er" for s in _FR_ER.split()) + " " + _FR_IRREGULAR
_EN_VERBS = (
    "write draft create generate make give list summarize summarise translate explain fix rewrite improve "
    "analyze analyse compare find suggest propose prepare design outline describe plan review proofread "
    "correct edit check tell show help build develop brainstorm recommend classify categorize categorise "
    "calculate convert turn format organize organise optimize optimise research identify extract simplify "
    "shorten expand answer respond reply compose craft produce provide come pick choose rank rate evaluate "
    "assess estimate predict teach simulate start begin continue complete fill update rephrase paraphrase "
    "polish critique grill quiz interview guide walk coach debug refactor implement test clean sort group "
    "draw illustrate sketch invent imagine highlight spot verify validate cite define detail elaborate "
    "clarify structure split merge combine reduce cut trim condense personalize personalise adapt tailor "
    "localize localise output return print send remind schedule search look get let decline think "
    "recap do be keep avoid include cover mention focus stay point ask use gimme compute count estimate convert "
    "shorten lengthen cut tighten reword fix "
)
TASK_VERB_WORDS = frozenset((_FR_FORMS + " " + _EN_VERBS).split())
# A task verb counts when it starts a clause: the start, punctuation, or one of these words.
TASK_VERB_LEAD = re.compile(
    r"(?:^|[^\w\s'\-]|(?:^|\s)[\-\u2013\u2014]|\b(?:et|puis|ensuite|alors|donc|maintenant|aussi|enfin|stp|svp|"
    r"merci de|juste|simplement|du coup|bref|ok|okay|bon|bonjour|salut|please|pls|plz|kindly|then|and|now|also|"
    r"just|so|hi|hey|hello|first|finally|next|\d+|ici|vite|also|ou|or|only|always|never|toujours|jamais|"
    r"uniquement|seulement))\s*$"
)
# Words that are nouns as often as orders: "Liste de courses…", "Plan de formation…" are noun phrases.
NOUNISH_VERBS = set(
    "liste list plan test design draft review quiz sort outline check group recap sketch code formule resume "
    "compte format interview".split()
)
# "Liste de courses…", "formule excel pour…": a noun phrase, not an order; an order goes on with a determiner,
# a pronoun or an adverb ("Liste les…", "Formule une…").
NOT_IMPERATIVE_AFTER = re.compile(
    r"\s*(?:de\b|d'|des\b|du\b|of\b|(?!(?:le|la|les|l'|un|une|des|du|mon|ma|mes|ton|ta|tes|son|sa|ses|notre|nos|votre|"
    r"vos|leur|leurs|ce|cet|cette|ces|moi|nous|lui|leur|en|y|tout|tous|toutes|quelques|plusieurs|\d+|the|a|an|my|our|"
    r"deux|trois|quatre|cinq|six|sept|huit|dix|two|three|four|five|six|seven|eight|ten|twenty|"
    r"your|this|these|those|me|us|some|all|every|each|it|them|out|up|down|for|to|in|on|with|and|et|or|ou|"
    r"-moi|-nous)\b)[a-z0-9]+\b)"
)
LABEL_AFTER = re.compile(r"\s*[:=\u2013\u2014]|\s+-\s")  # "Format: …", "Task - …" are labels, not orders
# A request to the AI, polite or indirect; each rule with the words that wake it up.
REQUEST_RULES: Rules = (
    _rule("peux pourrais pouvez pourriez veux voudrais voulez voudriez sais saurais", r"\b(?:peux|pourrais|pouvez|pourriez|veux|voudrais|voulez|voudriez|sais|saurais)[- ](?:tu|vous)\b"),
    _rule("tu vous", r"\b(?:tu|vous) (?:peux|pourrais|pouvez|pourriez|veux bien|voudrais bien|voulez bien|vas|allez|dois|devez|devras|devrez|sais|saurais)\b"),
    _rule("est es", r"\b(?:est-ce que|est ce que|es que) (?:tu|vous) (?:peux|pourrais|pouvez|pourriez|sais|saurais|connais|as)\b"),
    _rule("aimerais voudrais souhaiterais souhaite veux attends faut cherche cherchons recherche voudrions aimerions souhaitons", r"\b(?:j'aimerais|je voudrais|je souhaiterais|je souhaite|je veux|j'attends|il me faut|il nous faut|"
       r"je cherche|nous cherchons|on cherche|je recherche|nous voudrions|nous aimerions|nous souhaitons)\s+"
       r"(?:que\b|qu'|un\b|une\b|des\b|du\b|le\b|la\b|les\b|l'|\d|quelques|plusieurs|savoir|comprendre|"
       r"connaitre|avoir|obtenir|recevoir|ton|votre|vos|tes)"),
    _rule("besoin", r"\b(?:j'ai|nous avons|on a|j'aurais|nous aurions)\s+besoin\b"),
    _rule("besoin", r"(?:^|[.!?\n]\s*)besoin d(?:'|e |u |es )"),
    _rule("aide aidez aider", r"\b(?:aide|aidez|aider)[- ](?:moi|nous)\b"),
    _needs(_rule("dis dites montre montrez explique expliquez apprends apprenez donne donnez conseille conseillez propose proposez fais faites ecris ecrivez redige redigez trouve trouvez sors sortez file filez", r"\b(?:dis|dites|montre|montrez|explique|expliquez|apprends|apprenez|donne|donnez|conseille|conseillez|"
       r"propose|proposez|fais|faites|ecris|ecrivez|redige|redigez|trouve|trouvez|sors|sortez|file|filez)[- ](?:moi|nous)\b"),
       words="moi nous"),
    _rule("merci", r"\bmerci de\b"),
    _rule("mission tache", r"\b(?:ta|votre) (?:mission|tache)\b"),
    _rule("can could would will won", r"\b(?:can|could|would|will|can't|won't)\s+(?:you|u)\b"),
    _rule("please pls plz kindly", r"\b(?:please|pls|plz|kindly)\s+(?!note|find attached)[a-z]"),
    _rule("need want would d love require am m", r"\bi (?:need|want|would like|'d like|'d love|would love|require|am looking for|'m looking for)\s+"
       r"(?:a\b|an\b|some\b|you\b|\d|help|to know|to understand|to learn|ideas|advice|tips|suggestions|"
       r"feedback|your|the\b|more\b|names?\b|one\b|two\b|three\b|five\b|ten\b)"),
    _rule("looking", r"\bi'm looking for\b|\bi am looking for\b|\blooking for (?:a|an|some|ideas|advice|tips)\b"),
    _rule("help", r"\bhelp me\b|\bhelp us\b"),
    _rule("give show tell teach send walk get find make write", r"\b(?:give|show|tell|teach|send|walk|get|find|make|write)\s+(?:me|us)\b"),
    _rule("let", r"\blet's\b|\blet us\b"),
    _rule("task job mission", r"\b(?:your|the) (?:task|job|mission) (?:is|will be)\b"),
    _rule("any", r"\bany (?:tips|ideas|advice|suggestions|recommendations|thoughts)\b"),
    _rule("need want", r"(?:^|[.!?\n]\s*)(?:need|want)\s+(?:a|an|some)\b"),
    _rule("que", r"\bet que (?:tu|vous)\b|\b(?:besoin|envie|veux|voudrais|aimerais|souhaite) que (?:tu|vous)\b"),
    _rule("svp stp please pls plz plait", r"\b(?:svp|stp|please|pls|plz|s'il (?:te|vous) plait)\b"),
    _rule("as tu vous aurais auriez avez", r"\b(?:t'as|tu as|tu aurais|vous avez|vous auriez|as-tu|avez-vous|aurais-tu|auriez-vous) "
       r"(?:des|une|un|quelques|d'autres) (?:idees?|conseils?|suggestions?|astuces?|exemples?|pistes?|recommandations?|"
       r"infos?|informations?)\b"),
    _rule("veut dire", r"\bveut dire quoi\b"),
    # a question typed without its mark: "useEffect runs twice why", "is a verbal agreement binding in england"
    _rule("why how pourquoi comment", r"\s(?:why|how|pourquoi|comment)\s*[!.]*\s*\Z"),
    _rule("is are was were does did should could would can has",
       r"\A\s*(?:is|are|was|were|does|did|should|could|would|can|has)\s+[a-z']+\s+[a-z]"),
    _rule("quoi koi", r"\b(?:je|j'|on|tu|tu me|tu nous|vous|il|elle) ?(?:(?:lui|leur|te|me|le|la|les|y|en|leur) )?[a-z]+ (?:quoi|koi)\s*(?:[?!.]|$)|\b(?:c|c'est|ckoi) ?koi\b"),
    _rule("comment how", r"\b(?:comment|how to) (?:faire|[a-z]{3,}(?:er|ir|re))\b"),
    _rule("dois jdois faut", r"\b(?:je dois|jdois|j'dois|il faut que je|faut que je|faut que j') (?:faire|ecrire|rediger|preparer|"
       r"trouver|envoyer|creer|monter|organiser|presenter)\b"),
    _rule("px peut", r"\b(?:tu px|px[- ]tu|peut[- ]tu|peut[- ]vous|tu peut)\b"),
    _rule("don do never always", r"(?:^|[.!?\n;]\s*)(?:don't|do not|never|always)\s+[a-z]+"),
    _rule("veux voudrais aimerais", r"\b(?:je veux|je voudrais|j'aimerais)\s+(?:rajouter|ajouter|savoir|comprendre|changer|modifier|"
       r"faire|creer|ecrire|obtenir|trouver|mettre|calculer|automatiser)\b"),
    _rule("ll will and then", r"\byou(?:'ll| will)\s+(?!be\b|need\b|have\b|find\b|see\b)[a-z]+|\b(?:and|then)\s+you\s+(?!are\b|were\b|have\b|know\b)[a-z]+"),
    _rule("tu vous", r"(?:^|[.!?\n,;:]\s*|\b(?:et|puis|ensuite|alors|donc)\s+)(?:tu|vous)\s+(?:me\s+|m'|nous\s+|lui\s+|leur\s+)?(?!es\b|etes\b|as\b|avez\b|sais\b|savez\b|peux\b|veux\b|vas\b)[a-z]{2,}(?:s|x|z)\b"),
)
REQUEST_RULES_BY_WORD = index(REQUEST_RULES)
QUESTION_TRIGGERS = frozenset(
    "qui veut signifie ca cela en comment pourquoi quel quelle quels quelles quoi combien quand ou est c cest qu que dois puis peut faut vaut "
    "y existe suis ai how what whats why which when where who is are should can could do does did would will any".split()
)
_QUESTION_WORDS = (
    r"(?:comment|pourquoi|quel|quelle|quels|quelles|quoi|combien|quand|ou trouver|ou acheter|est-ce|est ce|en quoi|"
    r"que veut dire|ca veut dire|(?:ca|cela) signifie|"
    r"c'est quoi|c quoi|cest quoi|qu'est-ce|qu'est ce|que faire|que dois-je|que puis-je|dois-je|puis-je|"
    r"peut-on|faut-il|vaut-il|y a-t-il|existe-t-il|suis-je|ai-je|how|what|what's|whats|why|which|when|where|who|"
    r"is it|is there|are there|is this|are these|should i|should we|can i|can we|could i|do i|do you|do we|"
    r"does|did|would it|will it|any idea)\b"
)
QUESTION_START = _c(
    r"(?:^|[.!?:\n]\s*|,\s*|\b(?:et|mais|alors|donc|bref|and|but|so|ok|okay|hey|hi|bonjour|salut)\s+)" + _QUESTION_WORDS
    + r"|(?:^|[.!?\n]\s*)qui (?!(?:que|qu')\b)[a-z]"  # "qui" asks only at the start: "…, mais qui a déjà payé" is a clause
)
GREETING_QUESTION = re.compile(
    r"^\W*(?:(?:salut|bonjour|coucou|hello|hi|hey)\W+)*(?:ca va|comment ca va|comment vas-tu|comment allez-vous|tu vas bien|"
    r"vous allez bien|how are you|how's it going|what's up|how are you doing)\W*(?:\?\W*)?$"
)
QUESTION_HEAD = re.compile(_QUESTION_WORDS)  # the same words, at a given position
QUESTION_INVERSION = re.compile(r"\b(?!rendez\b)[a-z]+-(?:t-)?(?:je|tu|il|elle|on|vous|ils|elles)\b(?!-)")
REQUEST = _c("|".join(f"(?:{p.pattern})" for _, p in REQUEST_RULES))  # for a match at one position

# Vague requests (spec: "Tâche", a vague task is still a task)
VAGUE_PLACEHOLDER = _c(
    r"\b(?:un truc|des trucs|le truc|quelque chose|qqch|qqc|n'importe quoi|ce que tu veux|ce que vous voulez|"
    r"tout sur|un machin|something|anything|stuff|whatever|everything about|some things)\b"
)
VAGUE_TRIGGERS = frozenset(
    "truc trucs quelque qqch qqc importe veux voulez tout machin something anything stuff whatever everything things".split()
)
VAGUE_HELP_DOMAIN = re.compile(
    r"^\W*(?:(?:bonjour|salut|hello|hi|hey|svp|stp|please)\W+)*(?:j'ai besoin d'aide|besoin d'aide|aide[- ]moi|"
    r"aidez[- ]moi|help me|i need help|need help|can you help(?: me)?|could you help(?: me)?|peux-tu m'aider|"
    r"pouvez-vous m'aider|tu peux m'aider)\W*(?:(?:pour|avec|sur|with|on|for|about|concernant)\s+"
    r"(?:mon|ma|mes|notre|nos|le|la|les|l'|un|une|my|our|the|a|an|this)?\s*[\w'-]+(?:\s+[\w'-]+)?)?\W*$"
)
GENERIC_OBJECTS = set(
    "texte text exemple exemples example examples idee idees idea ideas chose choses truc trucs contenu content "
    "aide help conseil conseils advice tips avis thoughts opinion mieux better bien good cool interessant "
    "interesting sympa suggestions suggestion quelque something anything stuff it ca cela ceci this that "
    "reponse answer info infos information informations penses pensez penser think c".split()
)
FUNCTION_WORDS = set(
    "le la les l un une des du de d au aux a et ou en dans sur pour par avec sans ce cet cette ces mon ma mes ton "
    "ta tes son sa ses notre nos votre vos leur leurs je j tu il elle on nous vous ils elles me m te t se s moi "
    "toi lui y que qu qui quoi ne n pas plus tres bien tout tous toute toutes stp svp merci bonjour salut "
    "est es sont suis the a an and or of in on to for with without this that these those my our your his her "
    "its their i you he she we they me us him them it is are be do does did can could would will should please "
    "pls hi hey hello thanks so some any just very really all some peux pourrais pouvez veux voudrais "
    "aimerais souhaite faut besoin en-tu".split()
)

# Keyword prompts (no request, no sentence about anyone) all earn the vague-task points; greetings and
# thanks alone ("bonjour", "merci") have none of the four parts.
KEYWORD_PROMPT_MAX_WORDS = 30
PERSON_WORD = re.compile(
    r"\b(?:je|j'|tu|t'|vous|nous|on|il|elle|ils|elles|i|i'm|you|we|he|she|they|c'est|c'etait|it's|is|are|was|est|"
    r"sont|etait)(?![\w'])"
)
COURTESY_WORDS = frozenset(
    "bonjour bonsoir salut coucou hello hi hey merci thanks thank thx beaucoup much lot ok okay d accord super top "
    "parfait perfect great cool nice bravo genial au revoir bye a plus tard good morning afternoon evening night "
    "bonne journee soiree nuit excellent".split()
)

# ---------------------------------------------------------------- format (spec: "Format")
# What a count may count ("5 idées", "300 words"): the count rule also needs one of these words.
_COUNT_NOUNS = (
    r"mots?|words?|lignes?|lines?|phrases?|sentences?|caracteres?|characters?|chars?|paragraphes?|paragraphs?|pages?|slides?|diapos?|points?|puces?|bullets?|items?|idees?|ideas?|exemples?|examples?|propositions?|options?|variantes?|variants?|versions?|questions?|titres?|titles?|taglines?|accroches?|hashtags?|mots-cles|keywords?|noms?|names?|conseils?|tips?|astuces?|etapes?|steps?|parties?|parts?|axes?|pistes?|animations?|programmes?|captions?|posts?|tweets?|slogans?|couplets?|verses?|plats?|raisons?|reasons?|arguments?|suggestions?|formulations?|phrases|recommandations?|recommendations?|questions|strophes?|seances?|reponses?|responses?|replies|messages?|mails?|e-mails?|emails?|versions?|phrases?|lignes?|questions?|titres?|visuels?|images?|logos?|variations?|alternatives?|choix|choices|idees?|bullet points|erreurs?|mistakes?|conseils?|bonnes pratiques|best practices|points? cles|key points|takeaways|lessons?|lecons?|exercices?|exercises?|activites?|activities|recettes?|recipes?|jeux|games?|sujets?|topics?|themes?|quiz|defis?|challenges?|citations?|quotes?|mots?|definitions?|faq|scenarios?|exemples concrets|concrete examples|punchlines?|hooks?|ctas?|call-to-actions?|objets?|subject lines?|lignes d'objet|intros?|introductions?|accroches|headlines?|bios?|descriptions?|reponses types|canned responses|templates?|modeles?|actions?|mesures|measures|priorites|priorities|leviers|solutions?"
)
# What a top-N picks ("les 3 principaux risques", "the 5 main reasons").
_TOP = (
    r"principaux|principales|premiers|premieres|meilleurs|meilleures|plus|grands|grandes|main|biggest|key|most|best|"
    r"greatest|major|first"
)
# Structure and length: a structure word about the input ("ce tableau") does not count (FORMAT_INPUT_CUE).
FORMAT_SHAPE_RULES: Rules = (
    # structure
    _rule("pros cons avantages contre fois time ordre order parties structure layout output oui yes point clause article ligne section chapitre paragraphe item line question alexandrins vers rimes riment rhyming verse iambic pas arbre decision par crochets brackets parentheses q questions liste listes list bullet bullets puce puces tableau tableaux table json csv yaml xml markdown intertitre intertitres sous heading headings header headers section sections rubriques numerote numerotee numerotees numerotes numbered outline checklist check faq qcm quiz pitch haiku haikus sonnet limerick acrostiche acrostic mind mindmap carte pager storyboard colonne colonnes column columns paragraphe paragraphes paragraph paragraphs couplet couplets verse verses stanza stanzas plan forme format form formatted step etape jour mois semaine day week month par by time fois seule action chaque each tl tldr emoji emojis hashtag hashtags", r"\b(?:liste(?! deroulante)|listes|list(?! comprehension)|bullet|bullets|bullet-point|puces?|"
       r"tableau(?! croise)|tableaux|(?<!pivot )(?<!la )(?<!cette )(?<!une )(?<!ma )table|json|csv|yaml|xml|markdown|"
       r"intertitres?|sous-titres?|headings?|headers?|sections|(?:en|in|with|avec|par|by) sections?|rubriques|numerote(?:e|es|s)?|numbered|"
       r"outline|checklist|check-list|qcm|(?:un|une|a|an|en|as a|forme d'un|form of a|short|petit) quiz|(?:un|une|a|an|elevator|\d+[- ]?(?:second|seconde|secondes|minute|min|s))[- ]pitch|"
       r"pitch (?:de|d'|of) \d|haiku|haikus|sonnet|limerick|acrostiche|acrostic|"
       r"pas a pas|arbre de decision|decision tree|dans quel ordre|in (?:what|which) order|par ordre|in order of|"
       r"crochets|in brackets|entre parentheses|in parentheses|q&a|questions?[- ]reponses?|"
       r"avec (?:les rubriques|les sections|les parties|les colonnes)|with (?:the )?(?:sections|columns|headings)|"
       r"mind ?map|carte mentale|one-pager|storyboard|(?<!dans une )(?<!dans la )(?<!in a )(?<!in the )(?:colonnes?|columns?)"
       r"(?! [a-z]\b)|paragraphes?|paragraphs?|"
       r"plan detaille|en plan|sous forme de|au format|en format|in the form of|formatted as|"
       r"step[- ]by[- ]step|etape par etape|jour par jour|mois par mois|semaine par semaine|day[- ]by[- ]day|"
       r"week[- ]by[- ]week|month[- ]by[- ]month|une par une|un par un|one by one|one at a time|une a la fois|"
       r"un a la fois|une seule question|une question a la fois|(?:one|une?|1) [a-z]+ (?:at a time|a la fois)|"
       r"pros and cons|pros/cons|pros & cons|avantages et (?:les )?inconvenients|le pour et le contre|les pour et les contre|"
       r"format (?:paysage|portrait|vertical|horizontal|a4|a5|a3|story|stories)|landscape orientation|portrait orientation|"
       r"action items|pour chaque [a-z]+ ?[:,]|for each [a-z]+ ?[:,]|"
       r"(?:at the end of|a la fin de) (?:each|every|chaque)|"
       r"tl;?dr|en alexandrins|en vers|en rimes|qui riment|rhyming|in verse|iambic|"
       r"(point|clause|article|question|ligne|section|chapitre|paragraphe|mois|jour|semaine) par \1|"
       r"(point|clause|item|line|section|question) by \2|oui ou non|yes or no)\b|"
       r"(?<=[.!?;] )(?:format|structure|layout|output|sections|plan)\s*:(?=\s*\S)"),
    # length
    _needs(_rule("#d deux trois quatre cinq six sept huit neuf dix douze quinze vingt trente cinquante cent two three four five six seven eight nine ten twelve fifteen twenty thirty fifty hundred", r"\b(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cinquante|cent|"
       r"two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred)"
       r"(?:[ -]|\s*a\s*\d+\s*)(?:(?!(?:and|the|et|le|la|les|de|of|in|en|a|an)\b)[a-z]+[ -]){0,2}?(?:mots?|words?|lignes?|lines?|phrases?|sentences?|caracteres?|"
       r"characters?|chars?|paragraphes?|paragraphs?|pages?|slides?|diapos?|points?|puces?|bullets?|items?|"
       r"idees?|ideas?|exemples?|examples?|propositions?|options?|variantes?|variants?|versions?|questions?|"
       r"titres?|titles?|taglines?|accroches?|hashtags?|mots-cles|keywords?|noms?|names?|conseils?|tips?|"
       r"astuces?|etapes?|steps?|parties?|parts?|axes?|pistes?|animations?|programmes?|captions?|posts?|"
       r"tweets?|slogans?|couplets?|verses?|plats?|raisons?|reasons?|"
       r"arguments?|suggestions?|formulations?|phrases|recommandations?|recommendations?|questions|strophes?|"
       r"seances?|reponses?|responses?|replies|messages?|mails?|e-mails?|emails?|versions?|phrases?|lignes?|"
       r"questions?|titres?|visuels?|images?|logos?|variations?|alternatives?|choix|choices|idees?|bullet points|"
       r"erreurs?|mistakes?|conseils?|bonnes pratiques|best practices|points? cles|key points|"
       r"takeaways|lessons?|lecons?|exercices?|exercises?|activites?|activities|recettes?|recipes?|jeux|games?|"
       r"sujets?|topics?|themes?|quiz|defis?|challenges?|citations?|quotes?|mots?|definitions?|faq|scenarios?|"
       r"exemples concrets|concrete examples|punchlines?|hooks?|ctas?|call-to-actions?|objets?|subject lines?|"
       r"lignes d'objet|intros?|introductions?|accroches|headlines?|bios?|descriptions?|reponses types|"
       r"canned responses|templates?|modeles?|actions?|mesures|measures|priorites|priorities|leviers|solutions?)\b"
       r"(?!\s+(?:a|per|par)\s+(?:day|jour|week|semaine))"), _COUNT_NOUNS),
    _rule("brievement succinctement quelques few deux 2 trois 3 two three synthetique half fois plus moins par by quick rapide court courte courts courtes bref breve brefs breves concis concise succinct succincte short shorter brief briefly succinctly phrase ligne sentence line paragraph page trop too tweet long", r"\b(?:court(?! de tennis| metrage)|courte|courts|courtes|bref(?!\s*[,.!?:])|(?:sois|soyez|reste|restez|etre|plus|tres|assez) bref|breve|brefs|breves|concis|concise|succinct|"
       r"succincte|short|shorter|(?<!the )(?<!this )(?<!our )(?<!my )(?<!creative )brief(?!\s*[,.:!?])|concise|briefly|succinctly|en une phrase|en une ligne|in one sentence|in one line|one-sentence|"
       r"brievement|succinctement|en quelques (?:mots|lignes|phrases)|in a few (?:words|lines|sentences)|"
       r"en deux mots|en 2 mots|en (?:deux|trois|2|3) phrases|in (?:two|three|2|3) sentences|synthetique|"
       r"half as long|deux fois plus court|twice as short|plus court|plus courte|moins long|moins longue|"
       r"(?:par|by|de) \d+(?= ?%)|quick (?:note|reply|message|email|answer|summary|overview)|"
       r"(?:reponse|message|mail|resume|note|mot) rapide|"
       r"one-line|one-paragraph|(?:en|sur|d'|tenir sur|in|on) une page|une page (?:max|maximum|a4|recto)|one page|1-page|one-page|"
       r"pas trop long|pas trop longue|not too long|"
       r"tweet-length|long format)\b"),
    # a spoken or read length: "3 minutes max", "5 minutes to read aloud", "a 20-minute talk", "about 3 minutes"
    _needs(_rule("#d", r"\b\d+[ -](?:minutes?|min|secondes?|seconds?)(?:\s+(?:max|maximum|to read|a lire|de lecture|de lecture|"
       r"long|de long|talk|speech|video|pitch|presentation)\b|-[a-z]+)|\b(?:about|environ|around|under|moins de|"
       r"max|maximum|pas plus de|in|en|de)\s+\d+\s*(?:minutes?|min)\b(?!\s*(?:de|d'|late|of|en retard|ago|"
       r"from|away|to load|a charger))"), "minutes?|min|secondes?|seconds?"),
    _needs(_rule("#d", r"\b(?:max|maximum|au maximum|au plus|au moins|pas plus de|moins de|under|less than|at most|no more than|"
       r"up to|minimum|environ|about|around|approximately)\s*(?>\d+(?:[ .,]\d+){0,4})\s*(?!\s*(?:€|\$|£|k€|euros?|dollars?|eur\b|"
       r"personnes|people|ans|years|%|jours|days|semaines|weeks|mois|months|employees|salaries|clients|hours|heures|h\b|"
       r"customers|km|m2|m²))"), "max|maximum|plus|moins|under|less|most|more|up|minimum|environ|about|around|approximately"),
    _rule("#d", r"\b\d+\s*(?:mots?|words?|lignes?|lines?|caracteres?|characters?|chars?|pages?)\s*(?:max|maximum)?\b"),
    # "Recommend 5 podcasts", "Propose trois noms": the number of items asked for (a count the task acts on,
    # "compare deux offres", is not one: only verbs that produce items lead this rule)
    _needs(_rule("propose proposez donne donnez liste listez cite citez trouve trouvez suggere suggerez recommande recommandez "
       "ecris ecrivez redige redigez give list suggest recommend name write find share provide generate create draft make fais faites cree creez prepare preparez imagine imaginez identifie identifiez identify come ressortir releve relevez extrais extrayez extract pick choisis choisissez selectionne highlight",
       r"\b(?:propose|proposez|donne|donnez|liste|listez|cite|citez|trouve|trouvez|suggere|suggerez|recommande|recommandez|"
       r"ecris|ecrivez|redige|redigez|give|list|suggest|recommend|name|write|find|share|provide|generate|create|draft|"
       r"make|fais|faites|cree|creez|prepare|preparez|imagine|imaginez|identifie|identifiez|identify|come up with|"
       r"ressortir|releve|relevez|extrais|extrayez|extract|pick|choisis|choisissez|selectionne|highlight)"
       r"(?:[- ](?:moi|nous)| me| us)?\s+(?:les\s+|the\s+)?(?:\d+|deux|trois|quatre|cinq|six|sept|huit|dix|douze|quinze|vingt|two|three|four|"
       r"five|six|seven|eight|ten|twelve|fifteen|twenty)\s+(?:[a-z'-]+\s+){0,2}?[a-z'-]+[sx]\b"),
       words=DIGIT + " deux trois quatre cinq six sept huit dix douze quinze vingt two three four five six seven eight ten "
       "twelve fifteen twenty"),
    # a top-N the answer must pick: "les 3 principaux risques", "the 5 main reasons" (an explicit number of items)
    _needs(_rule("les the tes vos your mes my nos our", r"\b(?:les|the|tes|vos|your|mes|my|nos|our)\s+(?:\d+|deux|trois|quatre|cinq|six|sept|huit|dix|two|three|"
       r"four|five|six|seven|eight|ten)\s+(?:" + _TOP + r")\b"), _TOP),
    # a template's "[nombre] idées": the slot stands for a number of items
    _rule("nombre number n x", r"[\[{](?:nombre|number|n|x)[\]}]\s+(?!(?:jours|days|semaines|weeks|mois|months|ans|years|heures|"
       r"hours|minutes|euros|salaries|employes|personnes|clients|employees|people|staff|membres|members|adherents)\b)[a-z]+s\b"),
)
FORMAT_SHAPE_RULES_BY_WORD = index(FORMAT_SHAPE_RULES)
_TONES = (
    r"calme|neutre|directe?|leger|legere|serieux|ferme|doux|pose|positif|enthousiaste|professionnel|amical|decale|"
    r"humoristique|sympa|cool|pro|detendu|rassurant|poli|courtois|bienveillant|engageant|dynamique|sobre|convivial|"
    r"familier|soutenu|informel|formel|chaleureux|pedagogue|pedagogique|empathique|optimiste|percutant|vendeur|"
    r"commercial|institutionnel|corporate|jeune|fun|drole|ironique|sarcastique|solennel|emouvant|sincere|naturel|"
    r"simple|clair|chaleureux|tres|plus|moins|assez|un peu|pas trop|similaire|identique|adapte|approprie|"
    r"inspirant|motivant|positive|joyeux|festif|complice|respectueux|diplomate|conversationnel|accessible"
)
# Tone, register, style, language and restrictions: about the answer whatever precedes them.
FORMAT_VOICE_RULES: Rules = (
    # "ton" is also "your" ("ton avis"): a tone when a determiner leads it, a colon or an adjective follows it
    _rule("ton tone tonalite registre register", r"\b(?<!is the )(?<!was the )(?<!how's the )(?<!how is the )(?<!check the )(?:tone|tonalite|registre|register)\b(?!\s*(?:de peau|skin))(?! of (?:this|my|that|it|the|these)\b)|"
       r"\b(?:un|le|au|du|d'un|sur un|avec un|quel|meme|ce|mon|son|votre|notre|adopte|adoptez|adoptant|change|changer) ton\b|"
       r"\bton\s*(?:[:=\-\[{]|(?:" + _TONES + r")\b)"),
    _rule("poliment gentiment fermement courtoisement diplomatiquement sechement chaleureusement politely kindly firmly gently tactfully diplomatically courteously warmly nicely direct directe defensif pedagogique accessible simple simples vendeur vendeuse sound sounds sounding seem seems seeming make fasse sonne paraisse realistic realiste professionnel professionnelle pro professional welcoming accueillant accueillante honest honnete kind direct directe calme calm sympa doux douce gnangnan corporate punny trendy cosy cozy rude defensive agressif agressive mendiant pedagogique pedagogue accessible simples clair neutre neutral ferme firm diplomate diplomatique diplomatic respectueux respectful leger legere light lighthearted humble confiant confident persuasif persuasive convaincant convaincante rassurer reassuring apaisant calming amusant amusante langage termes without non technical appealing vendeur vendeuse catchy accrocheur accrocheuse claque formel formelle informel informelle chaleureux chaleureuse amical amicale cordial cordiale courtois courtoise poli polie humoristique drole droles fun funny humour humoristic humorous emouvant emouvante enthousiaste decontracte decontractee rassurant rassurante sincere percutant percutante factuel factuelle bienveillant bienveillante empathique optimiste playful friendly friendlier casual formal informal polite touching enthusiastic witty warm upbeat engaging serious solennel solennelle punchy inspiring inspirant inspirante motivant motivante ludique agressivite jargon plain simple simplement simply vulgarise vulgariser vouvoiement tutoiement vouvoie tutoie vouvoyer tutoyer vouvoyez tutoyez vouvoyant tutoyant premiere troisieme first person present passe superlatifs emoji emojis caracteres sensory", r"\b(?:formel|formelle|informel|informelle|chaleureux|chaleureuse|amical|amicale|cordial|cordiale|courtois|"
       r"courtoise|poli|polie|de facon polie|de maniere polie|poliment|gentiment|fermement|courtoisement|"
       r"diplomatiquement|sechement|chaleureusement|politely|kindly|firmly|gently|tactfully|diplomatically|"
       r"courteously|warmly|nicely|"
       r"humoristique|drole|droles|fun|funny|humour|"
       r"humoristic|humorous|emouvant|emouvante|enthousiaste|decontracte|decontractee|rassurant|rassurante|"
       r"sincere|percutant|percutante|factuel|factuelle|bienveillant|bienveillante|"
       r"empathique|optimiste|playful|friendly|friendlier|casual|formal|informal|polite|"
       r"touching|enthusiastic|witty|warm|upbeat|engaging|serious|solennel|solennelle|punchy|"
       r"inspiring|inspirant|inspirante|motivant|motivante|ludique|"
       r"sans agressivite|sans jargon|no jargon|jargon-free|plain english|plain language|simple words|"
       r"mots simples|termes simples|simple terms|simplement|plus simple|plus simplement|simply|vulgarise|"
       r"vulgariser|vouvoiement|tutoiement|vouvoie|tutoie|vouvoyer|tutoyer|vouvoyez|tutoyez|vouvoyant|tutoyant|a la premiere personne|"
       r"a la troisieme personne|in (?:the )?first person|first-person|au present|au passe|"
       r"sans superlatifs|sans emoji|pas d'emoji|no emojis?|gros caracteres|sensory|"
       r"(?:ton|style|registre|de facon|de maniere|reste|restez|sois|soyez|plus|tres|mail|e-mail|email|reponse|message|"
       r"lettre|courrier|et|,) professionnelle?|professionnelle? et|(?:en|plus|more|\+) ?pro|"
       r"(?:be|sound|sounds|stay|keep it|more|very|and|,) professional|professional (?:tone|email|reply|response|message|"
       r"letter|manner|way|and)|welcoming|accueillant|accueillante|honest|"
       r"honnete|(?:be|sois|soyez|stay|reste|restez) directe?|sympa|gnangnan|(?:not|pas|too|trop|less|moins) corporate|"
       r"punny|trendy|cosy|cozy|(?:less|moins|not|pas|too|trop|sound|sounding) (?:defensive|defensif)|agressif|agressive|mendiant|"
       r"(?:de facon|de maniere|ton|sois|soyez|reste|restez|plus|tres) pedagogique|"
       r"(?:ton|langage|style|texte|de facon|de maniere|reste|restez|simple et|clair et) accessible|"
       r"phrases (?:tres |plus )?simples|simple steps|etapes simples|keep it simple|tres simples?|very simple|"
       r"clair et simple|simple and clear|plain words|neutre|neutral|diplomate|diplomatique|diplomatic|respectueux|"
       r"respectful|light-hearted|lighthearted|persuasif|persuasive|convaincant|convaincante|reassuring|apaisant|"
       r"calming|amusant|amusante|en langage (?:clair|simple|courant)|in (?:simple|plain|everyday) language|"
       r"sans termes techniques|without technical terms|non technique|"
       r"appealing|(?:texte|ton|style|plus|tres|trop|pas trop) vendeu(?:r|se)|catchy|accrocheur|accrocheuse|qui claque|"
       r"(?:sound|sounds|sounding|seem|seems|seeming)(?: more| less| too| a bit| a little)? (?!better\b|good\b|nicer\b|right\b|ok\b|okay\b|like\b)[a-z]+|"
       r"make (?:it|this|them) (?:sound |look |feel )?(?:more|less) [a-z]+|"
       r"(?:que (?:ca|ce|cela)|qui) (?:ne )?(?:fasse|sonne|paraisse)|"
       r"(?:photo|image|style|ultra|hyper|plus|more|very|tres)[ -]?realis(?:tic|te)|realistic (?:photo|image|style|render))\b"),
    _rule("maniere facon style voice parle parlez ecris ecrivez reponds repondez talk speak write sound sounds comme like pirate", r"\b(?:a la maniere d|a la facon d|dans le style d|in the style of|in the voice of|style [a-z]{3,}|"
       r"parle comme|parlez comme|ecris comme|ecrivez comme|reponds comme|repondez comme|talk like|speak like|"
       r"write like|sound like|sound more|sounds more|comme un pirate|like a pirate)"),
    # output language
    _rule("anglais francais espagnol allemand italien portugais chinois arabe neerlandais japonais coreen russe polonais grec turc suedois vietnamien hindi breton catalan latin hebreu ukrainien roumain english french spanish german italian portuguese chinese arabic dutch japanese korean russian polish greek turkish swedish vietnamese hindi catalan latin hebrew ukrainian romanian", r"\b(?:en|in|into|to|vers l'|(?:traduction|translation|traduire|traduis|translate)(?: en| in| into| to| vers l')?)\s*(?:"
       r"anglais|francais|espagnol|allemand|italien|portugais|chinois|arabe|neerlandais|japonais|coreen|russe|polonais|grec|turc|suedois|vietnamien|hindi|breton|catalan|latin|hebreu|ukrainien|roumain|"
       r"english|french|spanish|german|italian|portuguese|chinese|arabic|dutch|japanese|korean|russian|polish|greek|turkish|swedish|vietnamese|hindi|catalan|latin|hebrew|ukrainian|romanian)\b"),
    # output restrictions
    _rule("only just never character", r"\b(?:only|just)\s+(?:reply|return|output|answer|respond|give|write|list|include|use|the code|code)\b|"
       r"\b(?:reply|respond|answer|return|output)(?: me)? (?:with )?only\b|\b(?:answer|reply|respond) only with\b|\bnever (?:speculate|"
       r"use|mention|include|add|explain)\b|\bin character\b"),
    _rule("nothing rien explanation explanations explication explications without sans don do ajoute mets donne reponds repondez uniquement seulement keep garde", r"\b(?:nothing else|rien d'autre|no explanations?|sans explications?|pas d'explications?|without (?:any )?explanations?|"
       r"without changing|sans changer|sans modifier|sans toucher|don't (?:add|include|explain|use|write)|"
       r"do not (?:add|include|explain|use|write)|n'ajoute|ne mets pas|ne donne que|ne reponds que|"
       r"reponds uniquement|repondez uniquement|uniquement (?:en|par|avec|le|la|les|un|une|des)|"
       r"(?:formule|code|texte|reponse|liste) seulement|seulement (?:la|le|les) (?:formule|code|texte|reponse)|"
       r"keep (?:it|them) (?:short|brief|under|simple|casual|light)|keep my tone|keep the tone|garde le ton|garde mon ton)"),
    # images
    _rule("cinematic cinematique doree golden facon look vibe aesthetic ar realistic realiste photorealisme painterly isometric isometrique clay film grain golden soft lumiere documentary hand dessine line vectoriel vectorielle vector dessin pastel pastels book style look vibe ambiance facon a3 a4 a5 fond background colours colors couleurs colour color max symmetrical composition sobre elegant elegante epure epuree aquarelle watercolor watercolour photorealiste photorealistic cartoon minimaliste minimalist 4k 8k hd eclairage lighting digital oil pixel flat format carre square portrait landscape", r"\b(?:aquarelle|watercolou?r|photorealiste|photorealistic|cartoon|minimaliste|minimalist|[48]k(?!\s+(?:in|en|de|d'|of|savings|budget|euros?|dollars?|par|per|a|an)\b)|hd|"
       r"eclairage|lighting|digital art|oil painting|pixel art|flat design|format \d+:\d+|"
       r"--ar \d+:\d+|photorealisme|painterly|isometric|isometrique|clay render|"
       r"film grain|grain argentique|golden hour|soft light|lumiere naturelle|lumiere douce|documentary photography|"
       r"hand-drawn|dessine a la main|vintage|retro|watercolour|aquarelle|line art|vectoriel|vectorielle|vector|"
       r"cartoon|dessin anime|pastel|pastels|cinematic|cinematique|lumiere doree|golden light|"
       r"(?:style|facon|ambiance) (?!dont\b|de\b|du\b|des\b|qui\b|que\b|of\b|pour\b|est\b)[a-z]{3,}|"
       r"(?!(?:the|this|that|my|our|your|new|same|whole|overall|general|its|his|her|their|and)\b)[a-z]{3,}[ -]"
       r"(?:style|look|vibe|aesthetic)|"
       r"a[345] (?:portrait|paysage|landscape)|fond (?:blanc|noir|transparent|ardoise|uni)|"
       r"(?:white|black|transparent|plain) background|colou?rs? max|couleurs? max|"
       r"symmetrical composition|composition symetrique|sobre|elegant|elegante|minimalist|epure|epuree|"
       r"format carre|square format|portrait format|landscape format)\b"),
    # the digit-led ones apart, so that a page of figures does not run the whole image rule at every digit
    # (one digit run, then the unit: a page of figures tries one short branch per number)
    _rule("#d", r"\b\d+(?:mm\b| ?cm ?x ?\d+ ?cm\b| (?:couleurs|colou?rs)\b|(?<=\d\d) ?x ?\d{2,}\b|[:/]\d+\b"
       r"(?:(?<=\b16:9)|(?<=\b9:16)|(?<=\b4:3)|(?<=\b3:2)|(?<=\b1:1)|(?<=\b21:9)|(?<=\b16/9)))"),
)
FORMAT_VOICE_RULES_BY_WORD = index(FORMAT_VOICE_RULES)
IMAGE_STYLE = next(pattern for triggers, pattern in FORMAT_VOICE_RULES if "cinematic" in triggers)
# A sentence that starts like this after pasted text is an instruction about the answer ("… Ton calme.").
FORMAT_HEAD = re.compile(
    r"(?:ton|tone|style|format|longueur|length|registre|reponses? (?:courtes?|breves?)|short answers?|"
    r"(?:en|in) (?:\d+|une|deux|trois|one|two|three) (?:mots|lignes|phrases|words|lines|sentences)|max(?:imum)?\b|"
    r"keep it|garde|reste court|pas plus de|no more than|under \d)\b"
)
# Shapes an input can have too ("ce tableau", "my list", "a CSV with columns"): only these words look back for a cue.
INPUT_SHAPE = re.compile(
    r"(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|two|three|four|five|six|seven|eight|nine|ten)\b|"
    r"(?:(?:with|avec) (?:the |les )?)?(?:listes?|list|tableaux?|table|json|csv|yaml|xml|markdown|colonnes?|columns?|sections?|headings?|headers?|"
    r"paragraphes?|paragraphs?|bullets?|puces?|plan|faq|quiz|qcm|rubriques)\b"
)
# "… in 5 bullet points": a shape the answer is put in, whatever input was named before.
OUTPUT_LEAD = re.compile(r"\b(?:in|en|into|as|under|within|sous forme de|avec|with|to)\s+(?:a |an |un |une )?$")
# A structure word about the *input* ("ce tableau", "a CSV with columns") is not a format.
FORMAT_INPUT_CUE = re.compile(
    r"\b(?:j'ai|i have|i've got|we have|nous avons|on a|voici|here is|here's|attached|joint|ci-joint|given|provided|fourni|fournie|"
    r"verifie|check|analyse|analyze|dans le|dans mon|dans la|in my|in our|from my|from the|from a|de mon|de ma|"
    r"how to|comment|remove|supprimer|empty|vide|trie|trier|tri|sort|sorts|sorting|filtre|filtrer|filter|filters|between|entre|"
    r"dropped|fell|rose|lost|gained|increased|decreased|grew|perdu|gagne|baisse|augmente|chute|hausse|"
    r"parcourt|parcourir|iterate|iterates|reverse|reverses|inverse|inverser|deduplicate|dedoublonne)\b"
    r"(?:\s+[\w'-]+){0,4}\s*$|\b(?:ce|cet|cette|ces|this|these|mon|ma|mes|my|notre|nos|our)\s+(?:[\w'-]+\s+)?$"
)

# ---------------------------------------------------------------- context (spec: "Contexte", (a) to (e))
# Each rule runs only when the prompt holds one of its trigger words (DIGIT for any digit), which keeps
# scoring fast: most prompts wake up a handful of the thirty rules.
_PEOPLE_RE = (
    r"personnes?|gens|clients?|clientes?|voisins?|voisines?|parents|collegues|collaborateurs|collaboratrices|salaries|"
    r"salariees|employes|employees|equipes?|lecteurs|lectrices|lecteur|lectrice|abonnes|abonnees|utilisateurs|"
    r"utilisatrices|membres|benevoles|adherents|visiteurs|invites|amis|amies|enfants?|eleves?|etudiants?|etudiantes?|"
    r"public|auditoire|candidats?|candidates?|patients?|patientes?|habitants|participants|participantes|jeunes?|adultes|"
    r"quelqu'un|une personne|someone|somebody|anyone|a person|"
    r"femmes|hommes|grands-parents|interlocuteurs?|interlocutrices?|destinataires?|prospects?|apprentis|stagiaires|"
    r"people|persons?|customers?|clients?|neighbou?rs|colleagues|coworkers|employees|staff|readers?|subscribers|users|"
    r"members|volunteers|visitors|guests|friends|kids|children|students|pupils|learners|audience|patients|residents|"
    r"participants|adults|women|men|parents|grandparents|seniors|retirees|recipients?|prospects|trainees|interns|"
    r"beginners|managers|teenagers?|teens?|kids?|child|students?|readers?|users?|members?|learners?|adults?|"
    r"developers|engineers|nurses|teachers|workers|"
    r"patron|patronne|gerant|gerante|dirigeant|dirigeante|proprietaire|producteur|productrice|agriculteur|"
    r"agricultrice|eleveur|eleveuse|commercant|commercante|owner|founder|farmer|landlord|tenant|locataire"
)
_PEOPLE = _gates(_PEOPLE_RE)
_ORGS_RE = (
    r"plombier|plumber|serrurier|locksmith|electricien|electrician|coach sportif|consultante?|graphiste|"
    r"photographe|photographer|kine|kinesitherapeute|osteopathe|dentiste|dentist|avocats?|lawyers?|notaire|"
    r"architecte|architect|comptable|accountant|artisan|freelance|independante?|auto-entrepreneur|"
    r"auto-entrepreneuse|micro-entrepreneur|infirmiere?|therapeute|therapist|psychologue|coiffeur|coiffeuse|"
    r"hairdresser|barber|estheticienne|boulanger|paysagiste|menuisier|carpenter|veterinaire|vet|medecin|"
    r"pharmacien|opticien|garagiste|mechanic|ludotheque|food truck|institut|resto|provider|venue|"
    r"chambre d'hotes|guesthouse|hostel|auberge|microbrasserie|vignoble|domaine viticole|ehpad|care home|nursery|"
    r"micro-creche|micro creche|daycare|paroisse|library|bibliotheque|mediatheque|museum|musee|theatre|cinema|"
    r"salle de sport|yoga studio|dojo|cooperative|webshop|e-shop|boutique en ligne|online shop|etsy shop|"
    r"entreprise|societe|start-?up|pme|tpe|association|asso|club|cabinet|agence|boutique|magasin|commerce|restaurant|"
    r"boulangerie|patisserie|cafe|bar|hotel|gite|camping|salon|studio|atelier|ferme|exploitation|cooperative|ecole|"
    r"creche|mairie|commune|collectivite|clinique|pharmacie|librairie|epicerie|traiteur|garage|marque|enseigne|"
    r"franchise|fondation|ong|collectif|usine|laboratoire|labo|institut|organisme|structure|cave|brasserie|fleuriste|"
    r"business|company|firm|agency|shop|store|bakery|cafe|nonprofit|non-profit|charity|school|brand|clinic|practice|"
    r"startup|studio|gym|salon|restaurant|hotel|farm|workshop|organi[sz]ation|ngo|bookshop|bookstore|florist|"
    r"caterer|garage|pharmacy|brewery|winery|coffee shop|van|boite|boutique|e-commerce|ecommerce|site ecommerce"
)
_ORGS = _gates(_ORGS_RE)
# What a named organisation is said to be ("FlowDesk, a project management tool").
_NAMED_KINDS = (
    r"tool|app|application|platform|plateforme|company|startup|brand|marque|shop|store|boutique|service|software|"
    r"logiciel|agency|agence|firm|cabinet|charity|association|school|ecole|business|entreprise|restaurant|cafe|site|"
    r"website|saas|network|reseau|chain|chaine|bank|banque|provider|fournisseur"
)
_ORG_FOR_PATTERN = (
    r"\b(?:d'une?|of an?|une?|an?)\s+(?:" + _ORGS_RE + r")\s+(?:[\w'-]+\s+){0,3}?(?:qui|that|which|who)\b|"
       r"\b(?:pour|chez|for|at|aupres d'une?)\s+(?:une?\s+|la\s+|le\s+|l'|a\s+|an\s+|the\s+|des\s+|les\s+|"
       r"small\s+|local\s+|(?=mon\b|ma\b|mes\b|notre\b|nos\b|my\b|our\b))"
       r"(?:(?!(?:de|du|des|d|of|poste|job|role|position|page|post|article)\b)[\w'-]+?[\s-]+){0,3}?(?:" + _ORGS_RE + r")\b(?!'\s)"
       r"(?!\s+(?:position|job|role|vacancy|post|apprenticeship|internship|traineeship|diploma|degree|exam|course)\b)|"
       r"\b(?:site|site web|website|page|flyer|affiche|menu|newsletter|compte|account|fiche|fiche de poste|"
       r"questions|questions (?:les plus )?frequentes|faq|chatbot|reponses|annonce|offre d'emploi|reglement|charte|"
       r"plaquette|brochure|catalogue|planning|standard|accueil|clients|patients|equipe|staff|customers)\s+"
       r"(?:[\w'-]+\s+){0,3}?"
       r"(?:de la|du|de l'|d'un|d'une|of a|of an)\s*(?:[\w'-]+\s+){0,2}?(?:" + _ORGS_RE + r")\b|"
       r"\b(?:mon|ma|mes|notre|nos|my|our)\s+(?:[\w'-]+\s+){0,2}?(?:" + _ORGS_RE + r")\b"
)
CONTEXT_RULES: Rules = (
    # who the member or organisation is / their situation, first person
    _rule("suis", r"\bje suis\b(?!\s+(?:sur|sure|certain|certaine|curieux|curieuse|a la recherche|en train de chercher)\b)"),
    _rule("ai jai", r"\bj'?ai\b(?!\s+(?:besoin|une question|une petite question|une demande|envie de savoir)\b)"),
    _rule("hesite envisage habite enseigne organise utilise anime accompagne aimerais ecris attends", r"\bj'(?:hesite|envisage|habite|enseigne|organise|utilise|anime|accompagne|attends (?:un bebe|un enfant|des invites)|"
       r"aimerais (?:me |m'|partir|changer|lancer|creer ma|creer mon|ouvrir|devenir|passer|apprendre|reprendre|quitter|"
       r"demenager|monter)|ecris (?:a|au|aux|un livre|un roman|une these|un memoire))"),
    _rule("je", r"\bje (?:dirige|gere|tiens|travaille|manage|vends|lance|prepare|organise|utilise|bosse|cours|demenage|"
       r"debute|commence|possede|m'occupe|developpe|fabrique|produis|anime|enseigne|ouvre|recrute|reprends|"
       r"cherche a|viens|compte|pars|vis|habite|represente|accompagne|galere|n'arrive|ne sais (?!pas comment)|n'ai|"
       r"dois|devrai|hesite|envisage|prevois|projette|reflechis|songe|pense a|vise|cible|vais (?!te\b|vous\b|t'|t'en)|"
       r"me (?!demande\b)|m'(?!interroge|demande)|ne (?:peux|trouve|comprends|parviens|supporte|connais|dispose|vois)|"
       r"fais (?:du|de la|des|partie|un|une|mon|ma)|recois|sors|rentre|passe (?:un|une|mon|ma|le)|loue|paie|gagne|"
       r"cherche (?:a|un emploi|un travail|du travail|un logement|un appartement|un stage|une alternance)|"
       r"veux (?!que|qu'|un\b|une\b|des\b|le\b|la\b|les\b|savoir|comprendre|connaitre|apprendre|\d)|"
       r"voudrais (?!que|qu'|un\b|une\b|des\b|savoir|comprendre|connaitre)|"
       r"souhaite (?!que|qu'|un\b|une\b|des\b|savoir)|"
       r"peux (?!te\b|vous\b)|sais (?!pas comment|comment)|connais|n'y connais|ni comprends?|n'y comprends?|"
       r"comprends? rien|suis)\b"),
    _rule("nous on chez", r"\b(?:nous|on)(?<!quand on)(?<!si on)(?<!lorsque on)(?<!qu'on) (?:sommes|est|avons|vendons|vend|lancons|lance|organisons|organise|preparons|prepare|"
       r"venons|vient|cherchons a|cherche a|utilisons|utilise|travaillons|travaille|recrutons|recrute|ouvrons|"
       r"ouvre|fabriquons|fabrique|gerons|gere|dirigeons|comptons|compte|voulons|veut|souhaitons|souhaite|"
       r"devons|doit|n'avons|n'a|n'arrivons|n'arrive|accueillons|accueille|emploie|employons|"
       r"demenageons|demenage|fetons|fete|changeons|passons|passe|va|allons|vont|a (?:un|une|des|deux|trois|\d|ete|eu|perdu|"
       r"recu|lance|ouvert|change|decide|rachete|embauche|recrute|signe|fait|plus|moins|beaucoup|"
       r"(?:deja |bien |pas |jamais |toujours )?[a-z]{3,}(?:e|i|u|is|it)))\b|\bchez (?:nous|moi)\b"),
    _rule("mon ma mes notre nos", r"\b(?:mon|ma|mes|notre|nos)\s+(?:[\w'-]+\s+){0,4}?(?:est|sont|etait|etaient|sera|seront|ont|fait|font|"
       r"fete|ouvre|ouvrira|ferme|fermera|vient|viennent|augmente|s'[a-z]+|augmentent|baisse|baissent|compte|emploie|"
       r"vend|vendent|utilise|travaille|cherche|organise|lance|lancera|recrute|doit|doivent|veut|veulent|"
       r"plante|rame|bug|beugue|tourne|accueille|existe|date|demarre|adore|aime|deteste|part|quitte|m'a|nous a|"
       r"se plaint|se plaignent|s'appelle|a (?:un|une|des|\d|ete|perdu|baisse|augmente|chute|double|change|"
       r"recu|demande|dit|decide|refuse)|marche|marchent|fonctionne|fonctionnent|affiche|bloque|bloquent|ne|n'|va|"
       r"vont|prend|prennent|coute|coutent|reste|restent|charge|met|mettent|refuse|refusent|plantent|passe|passent|"
       r"change|changent|grandit|arrive|arrivent|commence|commencent|demenage|demenagent|recoit|recoivent|"
       r"arrete|arretent|continue|continuent|me|m'|nous)\b"),
    _rule("i", r"\bi(?:'ll| will) be [a-z]+ing\b|\bi have (?!(?:a |one |another |some |two |few |several )?(?:question|questions|request|idea|query|doubt)\b|no idea\b|"
       r"to\b|been asked\b|got a question\b)[a-z]|\bi(?:'m| am)\b(?!\s+(?:looking for|wondering|curious|not sure|sure|asking you|trying to (?:write|find|get|make)))"),
    _rule("i", r"\bi(?<!\bdo i)(?<!\bcan i)(?<!\bshould i)(?<!\bcould i)(?<!\bwould i)(?<!\bdid i)(?<!\bmay i)"
       r"(?:'ve| have)? (?:just |recently |currently |already )?(?:run|own|manage|work|sell|make|teach|lead|"
       r"have (?:a|an|\d|two|three|four|five|only|no|been|just|got|to|some)|had|started|launched|opened|lost|bought|"
       r"graduated|moved|founded|use|used|live|tried|keep|can't|cannot|don't (?:have|know how|want)|struggle|"
       r"need to (?!know|understand)|want to (?!know|learn|understand)|plan to|organi[sz]e|sold|hired|received|"
       r"built|been|got)\b"),
    _rule("we", r"\bwe(?:'re| are)\b(?!\s+(?:looking for|wondering))"),
    _rule("we", r"\bwe(?:'ve)?(?: just| recently| currently| still)?\s+(?:run|own|sell|make|have|had|lost|got|launched|opened|"
       r"use|need to|want to|plan|were|hired|moved|started|serve|employ|offer|specialise|specialize|sold|received|"
       r"keep|can't|don't|did|went|changed|been)\b"),
    _rule("my our", r"\b(?:my|our)\s+(?:[\w'-]+\s+){0,4}?(?:is|are|was|were|has|have|had|keeps|keep|takes|take|lost|sells|"
       r"sell|makes|make|uses|use|opened|opens|closes|closed|launched|launches|needs|need|wants|want|does|"
       r"doesn't|don't|can't|won't|will|just|recently|started|grew|dropped|fell|rose|employs|serves|runs|"
       r"specialises|specializes|offers|went|became|moved|changed|hired|says|said|asked|complained|loves|hates|"
       r"turned|turns|got|works|worked|locks|crashes|crashed|freezes|froze|breaks|broke|stopped|stops|isn't|aren't|"
       r"wasn't|shows|gives|throws|fails|failed|costs|says|looks|seems|loads|hangs|lags|won't)\b"),
    _rule("mon ma mes notre nos my our", r"\b(?:mon|ma|mes|notre|nos|my|our) (?:chef|patron|patronne|boss|manager|associe|associee|associes|"
       r"banquier|comptable|bailleur|proprietaire|landlord|partner|cofounder|co-founder)\b"),
    # what happens to the member's things, when they do something: "why does my app crash after I deploy"
    _rule("does do did is isn won doesn can keeps after when whenever every since because quand lorsque depuis apres chaque",
       r"\b(?:does|do|did|is|isn't|won't|doesn't|can't|keeps) (?:my|our)\b|"
       r"\b(?:after|when|whenever|every time|each time|since|because|quand|lorsque|depuis que|apres que|chaque fois que|des que) "
       r"(?:i|we|je|j'|nous)(?![\w'])(?! (?:say|type|give|send|ask|write|tell|dis|donne|ecris|envoie|tape))"),
    # something that happened: "Un client a publié…", "l'inspection n'a rien trouvé", "we just lost…"
    _rule("a ont n ai m nous vient viennent avons has have had just",
          r"\b(?:a|ont|n'a|n'ont|avons|m'a|nous a|vient d'|viennent d')(?<!^qui a)(?<!^qui ont)\s*(?:(?:pas|rien|jamais|deja|encore|bien|"
          r"tout|toujours|meme)\s+)?(?:publie|perdu|recu|trouve|change|augmente|baisse|quitte|demissionne|refuse|"
          r"accepte|annule|decide|ouvert|ferme|vendu|achete|signe|rate|oublie|casse|plante|chute|double|triple|"
          r"embauche|licencie|demenage|gagne|obtenu|fonde|rachete|reporte|repousse|envoye|appele|contacte|"
          r"demande|commande|paye|critique|accuse|menace|porte plainte|depose|supprime|bloque)\b|"
          r"\b(?:has|have|had)(?<!who has)(?<!who have)(?<!who had)\s+(?:just\s+|already\s+|recently\s+)?(?:posted|published|lost|left|quit|cancell?ed|"
          r"complained|dropped|raised|increased|decreased|closed|opened|launched|changed|moved|hired|fired|asked|"
          r"refused|accepted|crashed|failed|signed|bought|sold|ordered|won|started|threatened|accused)\b"),
    # reasons, problems, situation
    _rule("parce puisque puisqu vu etant sachant cause suite raison alors bien because given due even although objectif but goal", r"\b(?:parce que|parce qu'|puisque|puisqu'|vu que|etant donne|sachant que|sachant qu'|a cause d|suite a|"
       r"en raison d|alors qu|bien que|because|given that|due to|even though|although|"
       r"l'objectif est|le but est|notre objectif|mon objectif|the goal is|our goal|my goal)"),
    # the member typing fast: "jsuis en retard", "chui perdu", "jpp de ce client" (spec (b), messy typing)
    _rule("jsuis chui chuis jpp jpeux jbosse jtravaille jgere jdois jcomprends jsais jarrive", r"\b(?:jsuis|chuis?|jpp|jpeux plus|jbosse|jtravaille|jgere|jdois|jcomprends (?:pas|rien)|"
       r"jsais pas|jarrive pas)\b"),
    # a problem stated as it happens: "la livraison a du retard", "il répond jamais", "it keeps crashing" (spec (b))
    _rule("retard late delayed overdue repond repondent marche marchent fonctionne fonctionnent demarre work works start "
       "load reply replies answer respond boot sync connect",
       r"\b(?:a|ont|avons|ai|est|sont|suis|sommes|jsuis) (?:du |en |un peu de |beaucoup de |pris du )?retard\b|"
       r"\b(?:\d+|quelques|plusieurs|une?|deux|trois) (?:minutes?|min|heures?|h|jours?|semaines?|mois) de retard\b|"
       r"\b(?:il|elle|ils|elles|ca|ce|cela|on) (?:ne |n')?(?:repond|repondent|marche|marchent|fonctionne|fonctionnent|"
       r"demarre|demarrent|s'allume|charge|charge) (?:pas|jamais|plus)\b|"
       r"\b(?:is|are|was|were) (?:running |already )?(?:late|delayed|overdue)\b|"
       r"\b(?:it|he|she|they|this|that)(?: still)? (?:doesn't|does not|won't|will not|don't|do not|never) (?:work|start|load|open|reply|"
       r"answer|respond|turn on|boot|sync|connect)\b"),
    _rule("pour for", r"\b(?:c'est|c|ce sera|cest) pour (?:[a-z]{2,}(?:er|ir|re)\b|un |une |mon |ma |notre |nos |mes )"
       r"(?!(?:site|page|blog|compte|profil|newsletter|post|feed|story|stories)\b)|"
       r"\b(?:it's|it is|this is|that's) (?:for|to) (?:a |an |my |our )(?!(?:website|page|blog|account|profile|newsletter|post|feed)\b)|"
       r"\bdans le cadre d(?:e |')(?:mon|ma|notre|un|une)\b"),
    # the people concerned, described after they are named: "Ils sont plutôt inquiets", "they are mostly new" (spec (c))
    _rule("ils elles they", r"\b(?:ils|elles|they)\s*(?:sont|are|'re|se sentent|feel)\s+(?:plutot |tres |un peu |assez |souvent |"
       r"deja |often |very |quite |a bit |pretty |mostly |really |all |tous |toutes )?(?:inquiets?|inquietes?|stresses?|"
       r"stressees?|perdus?|perdues?|debutants?|debutantes?|nouveaux|nouvelles|ages|agees|jeunes|fatigues?|sceptiques?|"
       r"mecontents?|mecontentes?|reticents?|reticentes?|worried|anxious|new|young|older|elderly|skeptical|sceptical|"
       r"upset|angry|confused|nervous|tired|beginners|unhappy|frustrated)\b"),
    # what the member's organisation does, through what it sells or bills (spec (a)): "nos factures de matériel
    # agricole d'occasion", "my food photography services"
    _rule("nos mes notre mon ma our my", r"\b(?:nos|mes|our|my)\s+(?:factures|devis|commandes|produits|prestations|invoices|quotes|orders|"
       r"products)\s+(?:de|d'|du|des|of|for)\s*[a-z]|\b(?:nos|mes|notre|mon|ma|our|my)\s+(?:[\w-]+\s+){0,3}?(?:services|prestations)\b"),
    _rule("car", r"\bcar (?:je|j'|nous|on|il|elle|ils|elles|c'|le|la|les|mon|ma|mes|notre|nos|ce|cette|ces)\b"),
    # a budget or a deadline is a constraint of the member's, even inside a question
    _rule("budget deadline", r"\b(?:avec|with|on|sur|pour|for) (?:un |a |an |mon |notre |my |our |le |the )?(?:petit |small |tight |"
       r"serre |limited )?budget\b|\bbudget (?:de|of|:|max|maximum|total|d'environ|around|about)?\s*(?:\d|[$£€])|"
       r"\b(?:deadline|date limite)\b"),
    # a household: "une famille de cinq avec deux ados", "a family of four", "mon fils de 6 ans"
    _rule("famille family couple fils fille mari femme enfants ados kids son daughter husband wife partner "
       "conjoint conjointe compagnon compagne colocataires roommates",
       r"\b(?:famille|family) (?:de|of) (?:\d|deux|trois|quatre|cinq|six|sept|huit|two|three|four|five|six|seven|eight)|"
       r"\b(?:avec|with) (?:\d|deux|trois|quatre|cinq|two|three|four|five|mes|nos|my|our) (?:[\w-]+ )?"
       r"(?:enfants|ados|adolescents|kids|children|teens|toddlers|bebes|babies|chiens|chats|dogs|cats)\b|"
       r"\b(?:mon|ma|mes|notre|nos|my|our) (?:fils|fille|filles|mari|femme|enfants|ados|kids|son|daughter|sons|"
       r"daughters|husband|wife|partner|conjoint|conjointe|compagnon|compagne|colocataires|roommates?)\b"),
    # what is at hand, where, with what: "avec seulement un smartphone", "using only what is in my fridge"
    _rule("seulement uniquement juste only just sans without maison home frigo fridge placard cuisine kitchen "
       "jardin garden appartement studio apartment flat telephone smartphone phone laptop ordinateur",
       r"\b(?:avec|using|with)(?<!reply with)(?<!respond with)(?<!answer with)(?<!reponds avec)(?<!repondez avec) "
       r"(?:seulement|uniquement|juste|only|just)\b|\busing only\b|\bonly (?:have|got|has)\b|"
       r"\bsans (?:four|voiture|materiel|equipement|logiciel|budget|ordinateur|internet|jardin|micro-ondes|robot|"
       r"connaissances?|experience|diplome)\b|\bwithout (?:an? )?(?:oven|car|equipment|software|budget|computer|"
       r"internet|garden|microwave|experience|degree)\b|\b(?:a la maison|at home|chez moi|chez nous)\b|"
       r"\b(?:dans|in|from) (?:mon|ma|mes|notre|my|our) (?:frigo|fridge|placard|placards|cupboard|pantry|cuisine|"
       r"kitchen|jardin|garden|appartement|studio|apartment|flat|salon|garage|bureau|office)\b|"
       r"\b(?:sur|avec|on|with) (?:mon|ma|my|un|une|a) (?:seul |only |simple )?(?:telephone|smartphone|phone|iphone|"
       r"laptop|ordinateur portable|tablette|tablet|chromebook)\b"),
)
CONTEXT_RULES_BY_WORD = index(CONTEXT_RULES)
# For whom the output is: an audience with its traits, the organisation it serves. These count even inside
# the AI's persona ("You are a support agent for FlowDesk, a project management tool", "an assistant for pilots").
FOR_WHOM_RULES: Rules = (
    # audience and its level
    _rule("comme like as eli5", r"\bcomme si (?:j'avais|je n'y|je ne|j'etais|je suis|j'y)\b|\bcomme (?:a|pour) un enfant\b|\blike i'?m (?:five|\d+|a |an )|\blike i am\b|"
       r"\bas if i (?:was|were)\b|\beli5\b"),
    _rule("debutant debutants debutante debutantes novice novices beginner beginners grand non niveau a1 a2 b1 b2 year grade eleve eleves classe lycee college primaire maternelle high middle elementary", r"\b(?:debutants?|debutante?s?|novices?|beginners?|grand public|non[- ](?:specialistes?|inities?|techniciens?|"
       r"technical|experts?|tech|native)|niveau (?:a1|a2|b1|b2|c1|c2|debutant|intermediaire|avance|college|lycee)|"
       r"\(a[12]\)|\(b[12]\)|year \d+|grade \d+|(?:eleve|eleves|classe) de (?:cp|ce1|ce2|cm1|cm2|\d+e|seconde|"
       r"premiere|terminale)|lycee|college|primaire|maternelle|high school|middle school|elementary school)\b"),
    _rule("public cible audience lectorat destinataire destinataires target persona adresse destine destinee destinees destines destination aimed geared intended targeting clientele our notre nos mes my ma", r"\b(?:public|cible|audience|lectorat|destinataires?|target|persona)\s*(?:vise|visee|cible|:|-|is|are|=)|"
       r"\b(?:s'adresse a|destinee?s? a|a destination d|aimed at|geared (?:to|toward)|intended for|targeting|"
       r"pour un public|for an audience|our audience|notre public|notre cible|our customers are|our clients are|"
       r"nos clients sont|mes clients sont|my clients are|my customers are|ma clientele|notre clientele|"
       r"our clientele)"),
    _rule("graders grader sportifs sportive sportives sportif coureurs coureur coureuse vegetariens vegetarien vegetarienne vegans vegan diabetiques diabetique enceintes enceinte bebes bebe touristes touriste expatries expatrie independants freelances entrepreneurs entrepreneur athletes athlete runners runner cyclists vegetarians vegetarian vegans diabetics diabetic pregnant toddlers toddler babies baby tourists tourist expats commuters freelancers freelancer entrepreneurs entrepreneur pilots pilot enfants enfant ados adolescents eleve eleves etudiant etudiants lyceens collegiens seniors retraites patients patientes familles apprentis stagiaires distributeurs investisseurs prospects novices particuliers manager managers dirigeants recruteurs adherents nouveaux nouvelles kids children teens teenagers students pupils retirees families investors executives board lawyers nurses teachers accountants engineers recruiters newbies class new hr", r"\b(?:pour|a(?=\s+(?:des|les|mes|nos|un|une|ma|mon|ses|leurs|ce|cet|cette|ces)\b)|aux|aupres d[eu]?|for|to)\s+"
       r"(?:des|les|mes|nos|un|une|ma|mon|my|our|a|an|the)?\s*"
       r"(?:[\w-]+\s+){0,2}?(?:enfants|enfant|ados|adolescents|eleve|eleves|etudiants?|lyceens|collegiens|"
       r"seniors|retraites|apprentis|stagiaires|distributeurs|investisseurs|"
       r"novices|managers?|dirigeants|recruteurs|boulangers|artisans|commercants|nouveaux employes|"
       r"sporti(?:fs|ves)|coureu(?:r|rs|se|ses)|vegetarien(?:s|nes)|vegans|diabetiques|femmes? enceintes?|"
       r"bebes?|touristes?|expatries?|independants?|freelances?|entrepreneu(?:r|rs|se|ses)|"
       r"athletes?|runners?|cyclists?|vegetarians|diabetics|pregnant women|toddlers?|bab(?:y|ies)|tourists?|expats?|"
       r"commuters?|freelancers?|entrepreneurs?|pilots?|(?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th))[- ]graders?|"
       r"nouveaux salaries|nouvelles recrues|kids|children|teens|teenagers|students|pupils|retirees|families|"
       r"investors|executives|board|lawyers|nurses|teachers|accountants|engineers|recruiters|newbies|"
       r"new hires|new employees|new starters|hr)\b(?!')"),
    # an audience or recipient described by its traits (spec (c)): "des voisins âgés qui n'utilisent pas
    # internet", "à une cliente qui ne connaît rien au numérique", "for retired volunteers who rarely use email"
    _rule(_PEOPLE, r"\b(?:pour|a(?=\s+(?:des|les|mes|nos|un|une|ma|mon|ses|leurs|ce|cet|cette|ces)\b)|aux|aupres d[eu]?|aupres des|destinee?s? aux?|for|to|aimed at|with)\s+"
       r"(?:des|les|mes|nos|un|une|ma|mon|ses|leurs|my|our|a|an|the|some)?\s*(?:[\w'-]+\s+)?"
       r"(?:" + _PEOPLE_RE + r")\s*,?\s+(?:(?:de|d'|du|des|of)\s*[\w'-]+\s+(?=qui\b|who\b))?(?:qui|qu'|peu|pas|non|allemande?s?|anglaise?s?|americaine?s?|espagnole?s?|italienne?s?|chinoise?s?|japonaise?s?|belges?|suisses?|canadienne?s?|britanniques?|sans|tres|deja|jamais|plutot|souvent|"
       r"rarement|ages?|agees?|de (?:\d|plus de|moins de|\w+ ans)|d'(?:environ |au moins )?\d|entre \d|en (?:premiere|deuxieme|"
       r"seconde|troisieme|derniere|terminale|\d)|debutants?|debutantes?|novices?|presses?|pressees?|anglophones?|"
       r"francophones?|etrangers?|etrangeres?|handicapes?|malvoyants?|sourds?|exigeants?|exigeantes?|mecontents?|"
       r"mecontentes?|sceptiques?|reticents?|reticentes?|inquiets?|inquietes?|stresses?|stressees?|allergiques?|"
       r"who|that are|that have|aged|over \d|under \d|between \d|with no|without|new to|in their|in year|in grade|"
       r"unfamiliar|from (?:a|an|abroad)|at (?:a|an) |(?:asking|wanting|complaining|trying|looking|learning|"
       r"struggling|coming|moving|starting|returning|working|living|using)\b)"),
    _rule("diabetic vegetarian vegan pregnant autistic dyslexic retired elderly busy non young new first second third older senior junior international foreign blind deaf "
       "disabled skeptical sceptical angry hesitant tired anxious beginner novice nervous picky german american british french spanish italian chinese japanese canadian",
       r"\b(?:for|to|aimed at|with)\s+(?:the |our |my |a |an |some )?(?:german|american|british|french|spanish|italian|chinese|japanese|canadian|retired|elderly|busy|diabetic|vegetarian|vegan|pregnant|autistic|dyslexic|deaf|non-technical|non-native|non-expert|young|new|first-year|second-year|third-year|older|"
       r"international|foreign|blind|deaf|disabled|skeptical|sceptical|angry|hesitant|tired|anxious|beginner|novice|"
       r"nervous|picky|non-english-speaking)\s+(?:[\w-]+\s+)?(?:" + _PEOPLE_RE + r")\b"),
    # the organisation or professional the output is for (spec (a)): "pour une ludothèque", "le site d'un
    # serrurier", "for a small bike-repair shop", "mon institut de beauté", "our online plant shop"
    _rule(_ORGS, _ORG_FOR_PATTERN),
    # a named organisation, described: "a support agent for FlowDesk, a project management tool"
    _needs(_rule("for pour chez at", r"\b(?:for|pour|chez|at)\s+[a-z][\w&.'-]*(?:\s+[a-z][\w&.'-]*){0,2},\s+(?:a|an|un|une)\s+"
       r"(?:[\w'-]+\s+){0,3}?(?:" + _NAMED_KINDS + r")\b"), _NAMED_KINDS),
    _rule("client cliente clients client's", r"\b(?:notre|mon|ma|nos|our|my) (?:client|cliente|clients)\s*(?:,\s*(?:une?|a|an)\b|"
       r"\s(?:est|sont|is|are|qui|who|,\s*qui))"),
)
FOR_WHOM_RULES = FOR_WHOM_RULES + (
    # people named by a trade in the plural, whatever the trade (spec (c)): "pour des techniciens de maintenance",
    # "aux fleuristes", "for pharmacists" (the endings of trades, not of things: -iens, -istes)
    _rule("pour aux des les for to", r"\b(?:pour (?:des|les|nos|mes)|aux|a (?:des|nos|mes)|aupres des|for|to)\s+(?:[\w-]+\s+)?"
       r"[a-z]{3,}(?:iens|iennes|istes|ists|icians)\b"),
    # a French shop named by its trade: « pour ma fromagerie », « chez une poissonnerie », « de notre crêperie »
    _rule("pour chez ma mon notre nos", r"\b(?:pour|chez|de|d'|pr)\s*(?:(?<=de )|(?<=d')|(?<=pr ))?(?:mon|ma|mes|notre|nos|une|la|l'|un)\s*"
       r"(?:petite\s+|grande\s+)?(?!(?:serie|galerie|batterie|loterie|categorie|theorie|boiserie)s?\b)[a-z]{3,}(?:erie|eria)s?\b"),
)
FOR_WHOM_RULES_BY_WORD = index(FOR_WHOM_RULES)
ORG_FOR = next(pattern for _, pattern in FOR_WHOM_RULES if pattern.pattern == _ORG_FOR_PATTERN)
# A tuple, checked by identity (`is_org_pattern`): hashing a compiled pattern hashes its whole code.
ORG_PATTERNS = (ORG_FOR, FOR_WHOM_RULES[-1][1])


def is_org_pattern(pattern: re.Pattern[str]) -> bool:
    """Whether `pattern` is one of the rules that find the member's organisation (ORG_PATTERNS)."""
    return any(pattern is org for org in ORG_PATTERNS)
# An organisation described after it is named ("une entreprise de paysagisme qui fait surtout…"): the
# description is who it is (spec (a)), even when a logo or a slogan is what is asked for.
ORG_DESCRIBED = re.compile(r"\s+(?:[\w'-]+\s+){0,3}?(?:qui|that|which|who)\b")
# Any organisation word, for keyword lines that name the organisation a document is for
# (« fiche de poste secrétaire cabinet dentaire », "faq site ecommerce bijoux").
ORG_WORD = _c(r"\b(?:" + _ORGS_RE + r")\b")
_PROBLEM_RULE = next(rule for rule in CONTEXT_RULES if "retard" in rule[0])
PROBLEM, PROBLEM_TRIGGERS = _PROBLEM_RULE[1], _PROBLEM_RULE[0]
ORG_OF = re.compile(r"\s*(?:de |d'|du |des )")  # "cabinet d'avocats": an organisation by its trade
# Deliverables that stand for an organisation (its logo, its name): "for X" names their object, not a client.
IDENTITY_ARTEFACT = re.compile(
    r"\b(?:logos?|noms?|names?|slogans?|taglines?|baselines?|mascottes?|mascots?|bannieres?|banners?|"
    r"cartes? de visite|business cards?|enseignes?|signs?|signage|bios?|"
    r"biographies?)\b"
    r"(?:\s+[\w'-]+){0,5}\s*$"
)
IDENTITY_ARTEFACT_WORD = re.compile(IDENTITY_ARTEFACT.pattern.split(r"(?:\s+")[0])  # the word alone, anywhere
POINTED_QUOTE_MIN_WORDS = 3
_OCCASIONS = (
    r"anniversaire|anniversary|birthday|mariage|wedding|noel|christmas|bapteme|demenagement|retraite|retirement|"
    r"depart|inauguration|kermesse|seminaire|seminar|portes ouvertes|open day|festival|gala|levee de fonds|"
    r"fundraising|lancement|launch|salon (?:du|des|de l'|professionnel)|trade show|entretien|interview|soiree|party|fete|fete|reunion|meeting|"
    r"conference|presentation|voyage|trip|vacances|holiday|examen|exam|concours|competition|\d+ ans|\d+(?:st|nd|rd|th)"
)
_COUNTED_PEOPLE_AND_THINGS = (
    r"personnes|salaries|employes|collaborateurs|associes|couverts|berceaux|lits|chambres|producteurs|commerciaux|developpeurs|membres|adherents|benevoles|exposants|visiteurs|habitants|participants|invites|eleves|etudiants|clients|abonnes|magasins|boutiques|agences|restaurants|apprentis|enfants|ados|people|persons|employees|staff|members|guests|visitors|customers|clients|subscribers|students|users|followers|stores|shops|locations|engineers|developers|lawyers|investors|volunteers|kids|children|seats|rooms|beds|apps|commandes|orders|produits|products|references|skus|salles|sites|vehicules|camions|trucks|coaches|vendeurs|serveurs|cuisiniers"
)
# Facts that are context when they describe the member's situation, and only the data of the question
# when they sit in a self-contained question ("Quelle est la capitale de l'Australie depuis 1913 ?",
# "Calcule la TVA sur 1 200 €"): these rules skip such sentences (spec: "the facts of a self-contained
# question or exercise").
FACT_RULES: Rules = (
    # how long a situation has lasted
    _rule("depuis", r"\bdepuis (?:que|qu'|\d|le |la |l'|les |des |janvier|fevrier|mars|avril|mai|juin|juillet|aout|"
       r"septembre|octobre|novembre|decembre|hier|ce |cette |plusieurs|quelques|deux|trois|longtemps)"),
    _rule("since ago y", r"\bsince (?:we|i|our|my|the|last|\d|january|february|march|april|june|july|august|september|october|"
       r"november|december)\b|\b\d+ (?:days|weeks|months|years) ago\b|\bil y a \d+"),
    # the member's age or experience, ages of people concerned
    _rule("#d", r"\b\d+\s*ans\b|\b\d+[- ]year[- ]olds?\b|\b\d+ years?\b|\baged? \d+|\b\d+ ?yo\b"),
    # constraints: money, percentages, quantities, sizes, dates, places handled apart
    _rule("#d", r"(?:(?<![\d.,])\d[\d .,]{0,12}?\s?(?:€|k€|m€|keur|euros?\b|eur\b|\$|usd\b|£|gbp\b|dollars?\b|livres\b)|[$£€]\s?\d|"
       r"\b\d{2,}k\b|\b\d+k\s+(?:in|en|de|d'|of|savings|budget|euros|dollars|par|per)\b)"),
    _rule("#d", r"\d\s?%"),
    _needs(_rule("#d", r"(?<!top )\b\d(?:\d| (?=\d)){0,8}\s*(?:[a-z]+\s+)?(?:personnes|salaries|employes|collaborateurs|associes|couverts|berceaux|lits|"
       r"chambres|producteurs|commerciaux|developpeurs|membres|adherents|benevoles|exposants|visiteurs|habitants|"
       r"participants|invites|eleves|etudiants|clients|abonnes|magasins|boutiques|agences|restaurants|apprentis|"
       r"enfants|ados|people|persons|employees|staff|members|guests|visitors|customers|clients|subscribers|"
       r"students|users|followers|stores|shops|locations|engineers|developers|lawyers|investors|volunteers|kids|"
       r"children|seats|rooms|beds|apps|commandes|orders|produits|products|references|skus|"
       r"salles|sites|vehicules|camions|trucks|coaches|vendeurs|serveurs|cuisiniers)\b"), _COUNTED_PEOPLE_AND_THINGS),

    _needs(_rule("#d", r"\b\d+-(?:person|people|employee|seat|bed|room|store|staff|strong)\b"),
           "person|people|employee|seat|bed|room|store|staff|strong"),
    _needs(_rule("#d", r"\b(?:team|equipe|company|entreprise|pme|tpe|startup|start-up|agence|agency|firm|cabinet|studio|shop|"
       r"boutique|restaurant|association|club|clinic|clinique|creche|societe|structure)\s+(?:\w+\s+)?(?:of|de|d')\s*\d+"),
           "team|equipe|company|entreprise|pme|tpe|startup|start-up|agence|agency|firm|cabinet|studio|shop|boutique|"
           "restaurant|association|club|clinic|clinique|creche|societe|structure"),
    _needs(_rule("sarl sasu eurl micro auto sole self b2b b2c en freelance", r"\b(?:sarl|sasu|eurl|micro-entreprise|micro-entrepreneur|auto-entrepreneur|auto-entrepreneuse|"
       r"sole trader|self-employed|b2b|b2c|en cdi|en cdd|en interim|freelance debutant)\b"),
       words="sarl sasu eurl micro auto sole self b2b b2c cdi cdd interim freelance"),  # "en" alone is every other prompt
    _rule("budget deadline date echeance contrainte constraint limited obligatoire mandatory allowed interdit utilise utilisons use using hebergement hosting stack", r"\b(?:budget|sans budget|no budget|deadline|date limite|contrainte|constraint|limited to|"
       r"obligatoire|mandatory|not allowed|interdit|on utilise|nous utilisons|j'utilise|i use|i'm using|we use|"
       r"we're using|hebergement|hosting|stack)\b"),
    # a deadline on a date: "avant le 15 mars", "by June 3rd" (a date alone is often the deliverable's content)
    _needs(_rule("ici avant by before due deadline pour jusqu until", r"\b(?:d'ici|avant|by|before|due|deadline|pour le|jusqu'au|no later than)\s+"
       r"(?:le\s+|the\s+)?(?:\d{1,2}(?:er|st|nd|rd|th)?\s+)?(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
       r"octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|"
       r"december|\d{1,2}/\d{1,2}|\d{1,2}h)\b"),
       words=DIGIT + " janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre january february "
       "march april may june july august september october november december"),  # "pour", "by": a date is rarer
    _rule("demain apres soir matin week weekend lundi mardi mercredi jeudi vendredi samedi dimanche trimestre semaine annee saison mois an ici avant jours semaines fin tomorrow tonight month year quarter summer winter spring fall autumn monday tuesday wednesday thursday friday saturday sunday end eod next last days weeks months", r"\b(?:demain|apres-demain|ce (?:soir|matin|week-?end|weekend|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
       r"dimanche|mois-ci|trimestre)|cette (?:semaine|annee|saison)|la semaine (?:prochaine|derniere)|"
       r"le mois (?:prochain|dernier)|l'an (?:prochain|dernier)|l'annee (?:prochaine|derniere)|"
       r"d'ici (?:\w+)|avant (?:le \d|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|ce soir|"
       r"la fin)|dans (?:\d+|deux|trois|quinze) (?:jours|semaines|mois)|tomorrow|tonight|this (?:week|weekend|"
       r"month|year|quarter|summer|winter|spring|fall|autumn)|next (?:week|month|year|quarter|monday|tuesday|"
       r"wednesday|thursday|friday|saturday|sunday)|last (?:week|month|year|quarter)|by (?:monday|tuesday|"
       r"wednesday|thursday|friday|saturday|sunday|tomorrow|the end|end of|eod|next)|in \d+ (?:days|weeks|"
       r"months)|within \d+ (?:days|weeks|months)|the next \d+ (?:days|weeks|months)|"
       r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) (?:soir|matin|prochain|\d)|"
       r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"),
    # occasions and events
    _rule("mon ma mes notre nos my our son sa ses leur", r"\b(?:mon|ma|mes|notre|nos|my|our|son|sa|ses|leur|leurs)\s+(?:[\w'-]+\s+){0,3}?(?:" + _OCCASIONS + r")\b|"
       r"\b(?:" + _OCCASIONS + r")\s+(?:de|d'|du|of)\s+(?:mon|ma|mes|notre|nos|my|our)\b"),
)
FACT_RULES_BY_WORD = index(FACT_RULES)
# What a message must say is its content, not the member's situation (spec: content requirements):
# "dis-lui que la réunion est jeudi", "a message telling a customer we can't accept returns".
MESSAGE_CONTENT = _c(
    r"\b(?:dire|dis|disant|annoncer|annonce|annoncant|rappeler|rappelle|rappelant|informer|informe|informant|prevenir|"
    r"previens|preciser|precise|tell|tells|telling|remind|reminds|reminding|inform|informing|notify|notifying|"
    r"saying|announce|announcing|let (?:them|him|her|everyone|the [a-z]+) know)\b[^.?!\n]{0,40}?"
    r"(?P<content>(?:\bque\b|\bqu'|\bthat\b|(?<=telling )(?:[a-z]+ ){1,3}(?=we\b|i\b|our\b))"
    # up to a reason, which stays the situation behind the message (spec (b)): "… à cause de la rénovation"
    r"(?:(?!\b(?:a cause|parce qu|car|because|due to|since|suite a|en raison)\b)[^.?!\n])*)"
)
MESSAGE_CONTENT_TRIGGERS = frozenset(
    "dire dis disant annoncer annonce annoncant rappeler rappelle rappelant informer informe informant prevenir previens "
    "preciser precise tell tells telling remind reminds reminding inform informing notify notifying saying announce "
    "announcing know".split()
)
# What the content of MESSAGE_CONTENT starts with: "que", "qu'" or "that" as whole words, or the words after
# "telling " (looked for as text: "foretelling " would do). A prompt with none cannot match it, so it is not run
# (a message verb, "annonce", "précise", is common; its content is rarer).
MESSAGE_CONTENT_LEADS = frozenset(("que", "qu", "that"))
# Deliverables made of the facts they are given: a job ad's contract, pay and place, a product sheet's
# specifications are their content (spec: content requirements), not the member's situation.
FACT_DELIVERABLE = re.compile(
    r"\b(?:offre d'emploi|offres d'emploi|annonce (?:de recrutement|d'emploi)|job (?:description|ad|advert|posting|listing)|"
    r"fiche produit|fiches produits|product (?:description|sheet|listing|page)|description produit)\b"
)
# The member speaking of themselves: a sentence holding one of these is about their situation.
FIRST_PERSON = re.compile(
    r"\b(?:je|j'|me|m'|moi|mon|ma|mes|nous|notre|nos|i|i'm|i've|i'd|me|my|mine|we|we're|we've|us|our)(?![\w'])|"
    # the French "on" ("on a ouvert"), not the English preposition ("on an invoice", "on the phone")
    r"\bon(?![\w'])(?!\s+(?:a|an|the|my|your|our|his|her|their|this|that|these|those|it|its|each|every|top|how|what|which|"
    r"time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|social|instagram|linkedin|facebook)\b)"
)
# A phrase that names the topic: what follows it in the same clause is what the deliverable is about
# ("a page about emergency plumbing in Bristol", "un article sur le budget des étudiants").
TOPIC_LEAD = re.compile(
    r"(?:\b(?:about|regarding|on the topic of|concernant)\b|\b(?:sur le theme|au sujet|a propos) d(?:e\b|u\b|es\b|'))[^,.;:!?\n]*$"
)
# A persona that says something of the member ("Tu es le community manager de ma boulangerie") is not masked.
ROLE_SELF_DETAIL = re.compile(
    r"\b(?:je|j'|nous|notre|nos|our|we|i|i'm|us)(?![\w'])|\b(?:de|du|of|pour|for|chez|at|dans) (?:mon|ma|mes|my)\b"
)
POSSESSIVE = re.compile(r"(?:mon|ma|mes|ton|ta|tes|my|your)\b")
# The protocol of a role-play or system prompt describes the task, not the situation (spec: Contexte, false).
PROTOCOL = _c(
    r"\bi(?:'ll| will| am going to|'m going to| shall)\s+(?:then\s+)?(?:give|type|send|provide|write|tell|say|ask|"
    r"paste|share|describe|enter|input|list|supply|post|reply|respond|play|make|start|be giving|be typing|be sending|"
    r"be providing|be asking|be writing)\b|"
    r"\b(?:my|the) (?:first|next) (?:request|sentence|command|question|prompt|suggestion|word|message|line|task|query|"
    r"input|statement|text|move|topic|option)\b|"
    r"\b(?:when|whenever|each time|every time|if) i (?:say|type|give|send|ask|write|tell|reply|answer|use|provide)\b|"
    r"\bje (?:vais|vous|te) (?:te |vous )?(?:donner|envoyer|ecrire|fournir|poser|proposer|dire|soumettre|transmettre|"
    r"taper|coller|donnerai|enverrai|ecrirai|fournirai|poserai|proposerai|dirai|soumettrai|transmettrai|"
    r"taperai|collerai|indiquerai|indiquer|partager|partagerai|decrire|expliquer|raconter|montrer|demander|"
    r"decrirai|expliquerai|raconterai|montrerai|demanderai)\b|"
    # the setting of a story or a game is the story's content: "The setting: a lighthouse…"
    r"\b(?:the setting|setting|le decor|le cadre de l'histoire)\s*:|"
    r"\bje (?:te |vous )?(?:donnerai|enverrai|ecrirai|fournirai|poserai|proposerai|dirai|soumettrai|transmettrai|"
    r"taperai|collerai|indiquerai|partagerai)\b|"
    r"\b(?:ma|la) (?:premiere|prochaine) (?:demande|question|phrase|requete|commande|consigne|proposition)\b|"
    r"\b(?:on va|nous allons|let's|let us|we will|we'll|we are going to|we're going to) (?:faire|jouer|simuler|commencer|"
    r"pratiquer|discuter|parler|play|do|practi[cs]e|simulate|start|have a|role-?play|talk)\b|"
    r"\b(?:quand|lorsque|chaque fois que|a chaque fois que|si|des que) (?:je|j') ?(?:te |vous )?(?:dis|donne|ecris|"
    r"envoie|tape|pose|ecrirai|dirai|donnerai|enverrai)\b"
)
# One whole word at least of each branch of PROTOCOL, so that a prompt without any cannot match it (most prompts:
# "a", "si", "des" or "vous" woke it up before, for a match in 3 % of them). "je" may be glued to the verb after
# "quand", "si"… (`(?:je|j') ?`): those forms are listed.
PROTOCOL_TRIGGERS = frozenset(
    "i first next je j setting decor cadre premiere prochaine va allons let will ll going "
    "jete jevous jedis jedonne jeecris jeenvoie jetape jepose jeecrirai jedirai jedonnerai jeenverrai".split()
)
# A calculation or conversion is an exercise: its figures are its data, not the member's situation.
EXERCISE = re.compile(
    r"\W*(?:calcul|calcule|calculez|conversion|calculation|convertis|convertissez|combien|resous|resolvez|calculate|compute|convert|solve|how much|"
    r"how many|what is|what's|quel|quelle|quels|quelles|qu'est-ce|c'est quoi)\b"
)
# Places: "à Lyon", "in Portland", "dans le Vercors" (checked on the original text for the capital).
PLACE = re.compile(
    r"(?i:\b[àÀ]|\bau|\baux|\ben|\bdans(?: le| la| les| l')?|\bin|\bat|\bnear|\bfrom|\bbased in|\bchez|\bsur la|"
    r"\bpr[èe]s de|\bautour de|\baux alentours de|\baround)\s+(?:(?:rural|downtown|central|northern|southern|eastern|western|greater|centre-ville de|"
    r"plein centre de|banlieue de|la|le|l')\s*)?([A-ZÉÈÎ][a-zà-ÿ]+(?:[- ][A-Z][a-zà-ÿ]+)*)"
)
# Where the member is, or looks around, even in a keyword line: « sorties autour de Toulouse »
PLACE_AROUND = re.compile(r"(?i:\bautour de|\baux alentours de|\bpr[èe]s de|\baround|\bnear)\s+[A-ZÉÈÎ]")
NOT_PLACES = set(
    "english french spanish german italian portuguese chinese arabic dutch python javascript java sql excel word "
    "powerpoint markdown json html css react canva notion obsidian slack trello google shopify wordpress "
    "linkedin instagram facebook twitter tiktok youtube etsy amazon chatgpt gpt claude mistral midjourney "
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday the this a an i my our your please then and "
    "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre lundi mardi mercredi "
    "jeudi vendredi samedi dimanche le la les un une tu vous je nous il elle on mon ma notre votre "
    "rust go php ruby typescript kotlin swift bash docker kubernetes figma airtable hubspot salesforce "
    "bullet markdown pdf csv japanese korean russian hindi polish greek turkish swedish norwegian danish finnish "
    "hebrew vietnamese thai latin japonais coreen russe polonais grec turc suedois creole catalan basque welsh "
    "irish gaelic".split()
)
# "je veux une image pour ma page : le camion sous la pluie…": what follows is the picture, not material
VISUAL_REQUEST = re.compile(
    r"\b(?:image|images|visuel|visual|photo|picture|illustration|dessin|drawing|logo|affiche|poster|cover|couverture|"
    r"banniere|banner|wallpaper|fond d'ecran)\b"
)
MATERIAL_MIN_WORDS = 8  # spec (e): "substantial input material": a full sentence at least (about eight words)
# A slot for material or for a description of the situation counts; a slot for the topic
# ("[SUJET]", "[ton idée]", "{produit}") does not (spec: Contexte).
SLOT = re.compile(
    r"[\[{<](?:[^\]}>\n]{0,60}\b(?:texte|text|colle|coller|collez|paste|insert|inserer|inserez|"
    r"document|donnees|data|code|notes|transcription|transcript|extrait|excerpt|cv|resume|message|messages|mail|"
    r"email|e-mail|avis|review|commentaire|comment|feedback|retours|lettre|letter|"
    r"decri[a-z]*|describe|description|situation|contexte|context|projet|project|entreprise|company|business|activite|"
    r"secteur|industry|public|cible|audience|profil|profile|parcours|background|contraintes?|constraints?|budget|"
    r"deadline|delai|niveau|level|ville|city|lieu|location|equipe|team|objectifs?|goals?|besoins?|needs?|"
    r"probleme|problem|historique|history|experience|age)(?![a-z])[^\]}>\n]{0,60}|"
    r"\.\.\.|\u2026)[\]}>]"
)
# Slots of a prompt template that stand for the task or the format ("[Tâche]", "{ton}", "[nombre] idées").
TASK_SLOT = re.compile(r"[\[{<]\s*(?:tache|task|demande|request|consigne|instruction|question|mission)s?\s*[\]}>]")
FORMAT_SLOT = re.compile(
    r"[\[{<]\s*(?:format|ton|tone|style|longueur|length|nombre de mots|word count|langue|language)"
    r"(?:[ _](?:de sortie|souhaite|voulu|attendu|output))?\s*[\]}>]"
)
# A colon that introduces material: "Corrige ce texte : …", "Here is our data: …"
MATERIAL_COLON = re.compile(r"(?<![\d\s]):[ \t]*(?=\S|\n)|(?<=\S)[ \t]+:[ \t]*(?=\S|\n)")
MATERIAL_POINTER = re.compile(
    r"\b(?:ce|cet|cette|ces|ci-dessous|suivant|suivante|suivants|suivantes|voici|this|these|the following|"
    r"below|here is|here's|here are|mon|ma|mes|notre|nos|my|our|corrige|corrigez|relis|relisez|traduis|"
    r"traduisez|resume|resumez|reformule|reformulez|ameliore|ameliorez|analyse|analysez|proofread|translate|"
    r"summarize|summarise|rewrite|fix|review|edit|improve|check|verifie|verifiez|reponds|repondez|reply|"
    r"respond|critique)\b"
)
LONG_MATERIAL_WORDS = 30
PASTED_PARAGRAPH_WORDS = 120  # a paragraph this long, beside others and asking nothing, is pasted text (spec (e))
ROLE_START = re.compile(r"(?:tu es|vous etes|you are|you're|act as|agis|agissez|i want you to act|je veux que tu)\b")
# Code or data pasted without a fence: a line that reads as code, or an error message.
CODE_LINE = re.compile(
    r"^\s*(?:def |class |return\b|import |for \w+ in \S+|from \S+ import|print\(|console\.|function\b|const |let |var |#include|"
    r"(?:if|for|while|elif|else|try|except)\b.*:\s*$|select .+ from|update \S+ set|insert into|<[a-z]+[ >]|"
    r"[a-z_][\w.\[\]]*\s*(?:[+\-*/]?=|\+\+|\(\S*\)\s*\{?)\s*\S*|\S+[;{}]\s*$|\$\w+|"
    r"[^;\n]*;[^;\n]*;[^;\n]*$|[^,\n]*\d[^,\n]*,[^,\n]*\d[^,\n]*,[^,\n]*\d|"
    # a row of data: three fields or more, separated by ";" or tabs, one with a figure (spec (e): data)
    r"[^;\t\n]*\d[^;\t\n]*(?:[;\t][^;\t\n]*){2,}$)"
)
ERROR_LINE = re.compile(
    r"(?:error|exception)\b\s*:[^\n]*|traceback \(most recent call last\)[^\n]*|\bnpm err![^\n]*|"
    r"\bfatal: [^\n]*|!\s*\[(?:rejected|remote rejected)\][^\n]*|\bnon-fast-forward\b[^\n]*|\bpermission denied\b[^\n]*|"
    r"\bcommand not found\b[^\n]*|\bno such file or directory\b[^\n]*|\bcannot find module\b[^\n]*|\bis not defined\b[^\n]*|\bsegmentation fault\b[^\n]*|\b#(?:n/a|value!|ref!|div/0!|name\?)|\berreur (?:#|\d{3})[^\n]*"
)
ERROR_MARKS = ("error", "exception", "rejected", "non-fast-forward", "denied", "not found", "no such file",
               "cannot find", "not defined", "traceback", "npm err", "fatal:", "segmentation", "#n/a", "#value", "#ref", "#div",
               "#name", "erreur")
LIST_LINE = re.compile(r"^[ \t]*(?:\d{1,2}[.)]|[-*\u2022])[ \t]+(\S[^\n]*)", re.M)
LIST_POINTER = re.compile(
    r"\b(?:you are given|you're given|voici|here is|here are|ci-dessous|below|the following|suivants|suivantes|"
    r"list of|liste de|liste des|these|ces)\b"
)

# ---------------------------------------------------------------- advice helpers
# Deliverables the advice can name ("ce post", "this logo"); keys are mapped to words in templates.
DELIVERABLES = (
    ("post", "post posts publication publications tweet tweets thread story stories reel reels caption captions legende legendes insta instagram linkedin facebook"),
    ("logo", "logo logos"),
    ("poster", "affiche affiches flyer flyers poster posters prospectus banniere banner"),
    ("image", "image images illustration illustrations visuel visuels photo photos dessin picture pictures visual visuals drawing artwork"),
    ("newsletter", "newsletter newsletters"),
    ("email", "mail mails email emails e-mail e-mails courriel courriels sms message messages"),
    ("article", "article articles blog billet"),
    ("ideas", "idees idee ideas idea suggestions pistes"),
    ("name", "nom noms name names slogan slogans tagline taglines accroche accroches titre titres title titles headline headlines"),
    ("letter", "lettre lettres courrier letter letters"),
    ("speech", "discours speech toast presentation pitch talk"),
    ("plan", "plan planning programme program itineraire itinerary schedule calendrier retroplanning roadmap"),
    ("description", "description descriptions fiche fiches bio annonce annonces listing copy"),
    ("code", "code fonction function script macro formule formula query requete snippet regex"),
    ("summary", "resume summary synthese compte-rendu report rapport"),
    ("quiz", "qcm quiz questionnaire"),
    ("story", "histoire story conte nouvelle poeme poem chanson song haiku limerick"),
    ("website", "website landing"),
    ("contract", "contrat contract cgv clause devis facture invoice"),
    ("video", "video videos"),
    ("recipe", "recette recipe menu"),
)
DELIVERABLE_KEY = {w: key for key, ws in DELIVERABLES for w in ws.split()}

# Domains pick the expert and the format example of the advice; first match wins.
DOMAINS = (
    ("code", "code python javascript sql excel formule formula fonction function script bug erreur error api macro regex pandas flask django react"),
    ("legal", "contrat contract juridique legal cgv clause bail licenciement rgpd gdpr avocat lawyer statut"),
    ("finance", "tva vat impot impots tax compta comptable accounting facture invoice budget marge prix tarif credit banque bank"),
    ("hr", "recrutement recruter recrute embauche entretien salarie salaries employe employes rh hr hiring candidat"),
    ("translation", "traduis traduire traduction translate translation"),
    ("design", "logo affiche flyer image illustration visuel dessin poster banner picture visual identite"),
    ("social", "post posts instagram insta linkedin facebook tiktok tweet hashtags reseaux social"),
    ("email", "mail email e-mail courriel newsletter relance sms"),
    ("food", "recette recipe menu cuisine restaurant plat pain boulangerie gateau"),
    ("teaching", "cours eleve eleves prof professeur classe explique explain lecon lesson quiz qcm"),
    ("marketing", "marketing seo slogan nom name tagline accroche pub publicite campagne campaign marque brand"),
    ("writing", "article blog texte text discours speech lettre letter histoire story poeme poem chanson bio description"),
)
DOMAIN_KEY: dict[str, str] = {}
for _key, _ws in DOMAINS:
    for _w in _ws.split():
        DOMAIN_KEY.setdefault(_w, _key)
DOMAIN_ORDER = {key: i for i, (key, _) in enumerate(DOMAINS)}
SPECIALTIES = frozenset({"code", "legal", "finance", "hr", "translation"})
# The deliverable decides the domain when it names one ("un post" → social), before any other word.
DELIVERABLE_DOMAIN = {
    "post": "social", "logo": "design", "poster": "design", "image": "design", "newsletter": "email",
    "email": "email", "article": "writing", "name": "marketing", "letter": "writing", "speech": "writing",
    "description": "writing", "code": "code", "summary": "writing", "quiz": "teaching", "story": "writing",
    "website": "marketing", "contract": "legal", "video": "social", "recipe": "food",
}
# The article a keyword prompt's own noun takes when the advice turns it into a request (« Crée une affiche »,
# « Crée un visuel », "Design a poster", "Create an image"): French feminine nouns a member names as a
# deliverable; any other noun is masculine. English takes "an" before a vowel sound.
FEMININE_NOUNS = frozenset(
    "affiche annonce application appli bannière banniere bio biographie brochure campagne carte charte chanson "
    "description enseigne étiquette etiquette fiche formation histoire illustration image infographie invitation "
    "lettre liste maquette mascotte newsletter note offre page photo plaquette présentation presentation "
    "publication recette réponse reponse signature story vidéo video vitrine".split()
)
AN_EXCEPTIONS = ("one", "once", "uni", "use", "usu", "eu")  # a vowel that sounds like a consonant: "a unique", "a euro"
AN_SILENT_H = frozenset("hour hours honest honour honor heir".split())



DETERMINERS = frozenset(
    "un une des le la les l mon ma mes notre nos ton ta tes votre vos ce cet cette ces du a an the some my our "
    "your this these any".split()
)
EN_HEAD_STOP = frozenset("for about on with to of in at from".split())  # "Newsletter ideas for…": the head is "ideas"

# "ma boulangerie", "our café": the member's organisation, quoted back in the context example.
ORG = re.compile(
    r"\b(?:mon|ma|notre|my|our)\s+(?:[\w'-]+\s+){0,2}?(?:boulangerie|patisserie|restaurant|"
    r"entreprise|societe|boutique|magasin|agence|cabinet|salon|garage|gite|bar|food truck|association|club|creche|"
    r"startup|start-up|studio|clinique|librairie|ferme|atelier|marque|appli|application|cafe|hotel|commerce|"
    r"pme|tpe|sarl|shop|store|bakery|business|company|firm|agency|clinic|gym|brand|app|salle de sport|"
    r"brasserie|epicerie|fleuriste|pharmacie|cooperative|mairie|ecole|school|coffee shop|roastery|bistro|"
    r"pizzeria|camping|hostel|auberge|spa|institut|cave)\b(?:\s+(?:de|d'|du|des|en|of)\s*[\w'-]+)?"
)
TOPIC = re.compile(r"\b(?:pour|sur|concernant|autour d[eu]|about|on|for|regarding)\s+(?=\S)")
TOPIC_STOP = re.compile(r"[,.;:!?\n()\"\u00ab\u00bb]|\s(?:avec|en \d|de \d|qui|que|with|in \d|that|which|ton|tone)\s")
