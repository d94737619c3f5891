/*
 * gen_data.h - the data files of generate/data/, compiled in by
 * embed.cmake. Each is NUL-terminated; _len excludes the NUL.
 */
#ifndef TT_GEN_DATA_H
#define TT_GEN_DATA_H

#include <stddef.h>

extern const unsigned char gen_data_catalog[];
extern const size_t gen_data_catalog_len;
extern const unsigned char gen_data_mapping[];
extern const size_t gen_data_mapping_len;
extern const unsigned char gen_data_overrides[];
extern const size_t gen_data_overrides_len;
extern const unsigned char gen_data_tagging[];
extern const size_t gen_data_tagging_len;

#endif /* TT_GEN_DATA_H */
