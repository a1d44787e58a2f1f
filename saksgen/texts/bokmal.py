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
    # Agenda (sakliste)
    "sakliste": "Sakliste",
    "sakliste_tittel": "Sakliste – {navn} {dato}",
    "ettersendes": "Saksdokumentene ettersendes",
    "offentlig_versjon": "(offentlig versjon)",
    "sakliste_offentlig": "Offentlig versjon",
    "sakliste_kolonne_sak": "Sak",
    "sakliste_kolonne_type": "Type",
    "sakliste_kolonne_tittel": "Tittel",
    "sakliste_kolonne_tid": "Tid",
    "sakliste_kolonne_ansvarlig": "Ansvarlig/presenteres av",
    "sakliste_klokken": "kl. {tid}",
    "sakliste_forklaring": "{bokstav} = {navn}",
    # Sakstypes: the agenda's letter, the legend's name, the group heading (sakliste: grupper)
    "sakstype_bokstav_beslutning": "B",
    "sakstype_bokstav_orientering": "O",
    "sakstype_bokstav_diskusjon": "D",
    "sakstype_beslutning": "beslutningssak",
    "sakstype_orientering": "orienteringssak",
    "sakstype_diskusjon": "diskusjonssak",
    "gruppe_beslutning": "Beslutningssaker",
    "gruppe_orientering": "Orienteringssaker",
    "gruppe_diskusjon": "Diskusjonssaker",
    # Standard items' titles, when the profile's standardsaker give none
    "standardsak_godkjenning-innkalling": "Godkjenning av innkalling og saksliste",
    "standardsak_godkjenning-protokoll": "Godkjenning av protokoll fra forrige møte",
    "standardsak_eventuelt": "Eventuelt",
    # Pack (saksdokumenter.pdf)
    "pakke_tittel": "Saksdokumenter – {navn} {dato}",
    "pakke_side": "Saksdokumenter side {side} av {sider}",
    "pakke_vedlegg": "Vedlegg {nr}: {tittel}",
}
