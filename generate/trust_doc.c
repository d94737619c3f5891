typedef int tt_placeholder_trust_doc;
