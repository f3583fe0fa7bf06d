// ICU shim: ICU 72 names its C functions as macros over `_72`-suffixed symbols, which Swift
// cannot import, so each function Verso uses is wrapped here in a plain static inline function.
#include <unicode/utypes.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/unorm2.h>
#include <unicode/ubrk.h>

// MARK: Normalization
static inline const UNormalizer2 *verso_unorm2_getNFCInstance(UErrorCode *s) { return unorm2_getNFCInstance(s); }
static inline const UNormalizer2 *verso_unorm2_getNFDInstance(UErrorCode *s) { return unorm2_getNFDInstance(s); }
static inline const UNormalizer2 *verso_unorm2_getNFKCInstance(UErrorCode *s) { return unorm2_getNFKCInstance(s); }
static inline int32_t verso_unorm2_normalize(const UNormalizer2 *n, const UChar *src, int32_t len,
                                             UChar *dest, int32_t cap, UErrorCode *s) {
    return unorm2_normalize(n, src, len, dest, cap, s);
}
static inline UBool verso_unorm2_isNormalized(const UNormalizer2 *n, const UChar *src, int32_t len, UErrorCode *s) {
    return unorm2_isNormalized(n, src, len, s);
}

// MARK: Case folding and character properties
static inline int32_t verso_u_strFoldCase(UChar *dest, int32_t cap, const UChar *src, int32_t len,
                                          uint32_t options, UErrorCode *s) {
    return u_strFoldCase(dest, cap, src, len, options, s);
}
static inline int8_t verso_u_charType(UChar32 c) { return u_charType(c); }
static inline const char *verso_u_errorName(UErrorCode code) { return u_errorName(code); }

// MARK: Break iteration (word, sentence, grapheme)
static inline UBreakIterator *verso_ubrk_open(UBreakIteratorType type, const char *locale,
                                              const UChar *text, int32_t len, UErrorCode *s) {
    return ubrk_open(type, locale, text, len, s);
}
static inline void verso_ubrk_setText(UBreakIterator *bi, const UChar *text, int32_t len, UErrorCode *s) {
    ubrk_setText(bi, text, len, s);
}
static inline void verso_ubrk_close(UBreakIterator *bi) { ubrk_close(bi); }
static inline int32_t verso_ubrk_first(UBreakIterator *bi) { return ubrk_first(bi); }
static inline int32_t verso_ubrk_next(UBreakIterator *bi) { return ubrk_next(bi); }
static inline int32_t verso_ubrk_getRuleStatus(UBreakIterator *bi) { return ubrk_getRuleStatus(bi); }

// MARK: Properties the fast paths are built from (word and grapheme break classes, NFC boundaries)
static inline int32_t verso_u_getIntPropertyValue(UChar32 c, UProperty which) {
    return u_getIntPropertyValue(c, which);
}
static inline UBool verso_u_hasBinaryProperty(UChar32 c, UProperty which) { return u_hasBinaryProperty(c, which); }
static inline UBool verso_unorm2_hasBoundaryBefore(const UNormalizer2 *n, UChar32 c) {
    return unorm2_hasBoundaryBefore(n, c);
}
