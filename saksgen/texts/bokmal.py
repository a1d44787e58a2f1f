"""Bokmål: the texts saksgen writes itself. Keys are shared with nynorsk.py; ``{name}`` fields
are filled by the caller. Keep this table the only place these words are spelt."""

TEXTS: dict[str, str] = {
    # Paper header labels and answers
    "til": "Til",
    "fra": "Fra",
    "dato": "Dato",
    "saksbehandler": "Saksbehandler",
    "unntatt_offentlighet": "Unntatt offentlighet",
    "svar_nei": "Nei",
    "svar_ja": "Ja, jf. {hjemmel}",
    # The marking on every page of an exempt paper or attachment, and in the agenda
    "unntatt_merking": "Unntatt offentlighet, jf. {hjemmel}",
    # Captions and references
    "vedlegg_etikett": "Vedlegg",
    "figur_etikett": "Figur",
    "tabell_etikett": "Tabell",
    "ref_figur": "figur",
    "ref_tabell": "tabell",
    "ref_vedlegg": "vedlegg",
    "ref_avsnitt": "avsnittet «{tittel}»",
    "side_av": "Side {side} av {sider}",
    # The footer's words around Word's PAGE and NUMPAGES fields ({{ tekst.side }} 1 {{ tekst.av }} 3)
    "side": "Side",
    "av": "av",
    # Agenda (sakliste)
    "sakliste": "Sakliste",
    "sakliste_tittel": "Sakliste – {navn} {dato}",
    "ettersendes": "Saksdokumentene ettersendes",
    "offentlig_versjon": "(offentlig versjon)",
    # Pack (saksdokumenter.pdf)
    "pakke_tittel": "Saksdokumenter – {navn} {dato}",
    "pakke_side": "Saksdokumenter side {side} av {sider}",
    "pakke_vedlegg": "Vedlegg {nr}: {tittel}",
    # Protokoll (protokoll.docx)
    "protokoll": "Protokoll",
    "protokoll_tittel": "Protokoll fra {navn} {dato}",
    "tid": "Tid",
    "sted": "Sted",
    "moteleder": "Møteleder",
    "referent": "Referent",
    "tilstede": "Til stede",
    "forfall": "Forfall",
    "andre": "Andre",
    "vedtak": "Vedtak:",
    "votering": "Votering:",
    "protokolltilforsel": "Protokolltilførsel:",
    "referat": "Referat:",
    "signatur": "Underskrifter",
    "sted_dato": "Sted og dato",
    "saksdokumenter": "Saksdokumenter",
}
