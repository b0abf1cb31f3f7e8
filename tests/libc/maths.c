/* maths.c: <math.h> (build with -l m, as with gcc). */
#include <math.h>
#include <stdio.h>

int main(void)
{
    printf("%.6f %.6f %.6f %.6f\n", sqrt(2.0), pow(2.0, 10.5), exp(1.0), log(10.0));
    printf("%.6f %.6f %.6f\n", log10(1234.5), log2(1024.0), cbrt(27.0));
    printf("%.6f %.6f %.6f %.6f\n", sin(1.0), cos(1.0), tan(0.5), atan(1.0) * 4);
    printf("%.6f %.6f %.6f\n", asin(0.5), acos(0.5), atan2(-1.0, -1.0));
    printf("%.6f %.6f %.6f\n", sinh(1.0), cosh(1.0), tanh(0.5));
    printf("%.1f %.1f %.1f %.1f %.1f %.1f\n", floor(-2.5), ceil(-2.5), round(2.5), round(-2.5), trunc(-2.7), rint(2.5));
    printf("%.6f %.6f %.6f\n", fmod(10.0, 3.0), fabs(-3.25), hypot(3.0, 4.0));
    int e;
    double m = frexp(48.0, &e);
    double whole;
    double frac = modf(3.75, &whole);
    printf("%.4f %d %.1f %.2f %.1f\n", m, e, ldexp(0.75, 4), frac, whole);
    printf("%d %d %d %d\n", isnan(sqrt(-1.0)) != 0, isinf(1.0 / 0.0) != 0, isfinite(1e308) != 0,
           signbit(-0.0) != 0);
    printf("%f %f %.3e\n", INFINITY, -INFINITY, HUGE_VAL / 1e300 / 1e300 == INFINITY ? 1.0 : 0.0);
    float f = 1.0f / 3.0f;
    printf("%.7f %.10g %d\n", f, (double)f, (int)sizeof f);
    double sum = 0;
    for (int k = 0; k < 1000; k++)
        sum += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
    printf("pi by Leibniz, 1000 terms: %.8f\n", sum);
    return 0;
}
