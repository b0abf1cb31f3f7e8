/* matmul: integer matrix multiplication, a multiply- and load-heavy workload. */
#include "hal.h"

#define N 24

static i32 A[N][N], B[N][N], C[N][N];

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (i * 3 + j * 7) % 11 - 5;
            B[i][j] = (i * 5 + j * 2) % 13 - 6;
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            i32 sum = 0;
            for (int k = 0; k < N; k++)
                sum += A[i][k] * B[k][j];
            C[i][j] = sum;
        }

    i32 trace = 0;
    u32 checksum = 0;
    for (int i = 0; i < N; i++) {
        trace += C[i][i];
        for (int j = 0; j < N; j++)
            checksum = checksum * 33u + (u32)C[i][j];
    }
    hal_print("C = A x B, ");
    hal_print_int(N);
    hal_print("x");
    hal_print_int(N);
    hal_putc('\n');
    hal_print("C[0][0..3] =");
    for (int j = 0; j < 4; j++) {
        hal_putc(' ');
        hal_print_int(C[0][j]);
    }
    hal_putc('\n');
    hal_print("trace ");
    hal_print_int(trace);
    hal_print(", checksum ");
    hal_print_hex(checksum, 8);
    hal_putc('\n');
    return 0;
}
