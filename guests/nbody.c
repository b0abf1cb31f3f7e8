/* nbody: the Sun and the four giant planets, 1000 steps, in double precision. */
/* The classic n-body benchmark (as in the Computer Language Benchmarks Game),
 * with the square roots from a Newton solver here (a guest has no libm), and
 * one square root in single precision to show float next to double.
 *
 * Every ISA rounds every operation the IEEE 754 way, so all four print the
 * same digits, and the host's own build of this file prints them too
 * (hal_print_double prints what printf("%.*f") would).  `hal compare nbody`
 * shows how each ISA does it: x86 in SSE2 registers, MIPS in coprocessor 1,
 * PowerPC in its FPRs, the Alpha-like core in its F and D registers;
 * `hal disasm nbody --function newton_sqrt` shows the instructions.  (The
 * functions are kept out of line for that.) */
#include "hal.h"

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define BODIES 5
#ifndef STEPS
#define STEPS 1000               /* bench/bench.py builds it with -DSTEPS=20000 */
#endif

struct body {
    double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[BODIES] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},                                    /* the Sun */
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},  /* Jupiter */
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},   /* Saturn */
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},  /* Uranus */
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},  /* Neptune */
};

/* Newton's method for x*x = a, from above: each step (x + a/x) / 2 comes
 * closer, until rounding stops it from getting any smaller. */
static __attribute__((noinline)) double newton_sqrt(double a)
{
    if (a <= 0)
        return 0;
    double x = a > 1 ? a : 1;
    for (;;) {
        double next = (x + a / x) / 2;
        if (next >= x)
            return x;
        x = next;
    }
}

static __attribute__((noinline)) float newton_sqrtf(float a)
{
    float x = a > 1 ? a : 1;
    for (;;) {
        float next = (x + a / x) / 2;
        if (next >= x)
            return x;
        x = next;
    }
}

/* Give the Sun the momentum that makes the system's total zero. */
static void offset_momentum(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static __attribute__((noinline)) double energy(void)
{
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < BODIES; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            e -= b->mass * c->mass / newton_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

/* One step of dt: every pair pulls on each other, then every body moves. */
static __attribute__((noinline)) void advance(double dt)
{
    for (int i = 0; i < BODIES; i++) {
        struct body *b = &bodies[i];
        for (int j = i + 1; j < BODIES; j++) {
            struct body *c = &bodies[j];
            double dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * newton_sqrt(d2));
            b->vx -= dx * c->mass * mag;
            b->vy -= dy * c->mass * mag;
            b->vz -= dz * c->mass * mag;
            c->vx += dx * b->mass * mag;
            c->vy += dy * b->mass * mag;
            c->vz += dz * b->mass * mag;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static void show(const char *label, double v, int decimals)
{
    hal_print(label);
    hal_print_double(v, decimals);
    hal_putc('\n');
}

int main(void)
{
    offset_momentum();
    hal_print("n-body: the Sun and four giant planets, ");
    hal_print_int(STEPS);
    hal_puts(" steps of 0.01 years");
    show("energy before ", energy(), 9);
    for (int i = 0; i < STEPS; i++)
        advance(0.01);
    show("energy after  ", energy(), 9);
    hal_print("Jupiter at x ");
    hal_print_double(bodies[1].x, 6);
    hal_print(" y ");
    hal_print_double(bodies[1].y, 6);
    hal_print(" z ");
    hal_print_double(bodies[1].z, 6);
    hal_putc('\n');
    show("sqrt(2) double ", newton_sqrt(2), 17);
    show("sqrt(2) float  ", newton_sqrtf(2), 17);
    return 0;
}
