/* Does not compile: used to check that hal build reports the compiler's message. */
int main(void)
{
    return undefined_variable;
}
