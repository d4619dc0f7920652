"""The kinds of generation Sobria counts, and the words people type for them.

One place for the list: the grammar reads the words, the impact model has a
factor for each kind, the command tree offers them as choices.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("text", "doc", "image", "video", "audio", "code")

# kind -> words people type for it (lower case, no accents: the grammar folds what is typed)
_WORDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "texte", "txt", "prompt", "message", "chat", "mail", "email", "post", "requete", "question",
             "reponse", "texte-court", "short-text", "shorttext"),
    "doc": ("doc", "document", "long", "article", "rapport", "report", "texte-long", "long-text", "longtext",
            "synthese", "raisonnement", "reasoning"),
    "image": ("image", "img", "photo", "visuel", "visual", "picture", "illustration", "dessin", "drawing"),
    "video": ("video", "clip", "film"),
    "audio": ("audio", "son", "sound", "musique", "music", "voix", "voice", "podcast", "chanson", "song"),
    "code": ("code", "completion", "script", "dev"),
}
KIND_WORDS: dict[str, str] = {word: kind for kind, words in _WORDS.items() for word in words}
