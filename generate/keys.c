typedef int tt_placeholder_keys;
