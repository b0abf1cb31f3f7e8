/* jon: hands in ada's work as his own. */
#include "ada.c"
