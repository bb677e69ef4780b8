#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void* work(void*p){ __m512 a[8]; for(int i=0;i<8;i++)a[i]=_mm512_set1_ps(i*0.001f);
 __m512 b=_mm512_set1_ps(0.9999f), c=_mm512_set1_ps(0.0001f);
 for(long n=0;n<200000000L;n++){ for(int i=0;i<8;i++) a[i]=_mm512_fmadd_ps(a[i],b,c);} 
 float s=0; for(int i=0;i<8;i++) s+=_mm512_reduce_add_ps(a[i]); *(float*)p=s; return 0;}
int main(){ float r[2]; for(int rep=0;rep<3;rep++){ double t0=now(); work(&r[0]); double t1=now();
 pthread_t th[2]; for(int i=0;i<2;i++) pthread_create(&th[i],0,work,&r[i]); for(int i=0;i<2;i++) pthread_join(th[i],0); double t2=now();
 printf("1 thread %.3f s, 2 threads (2x work) %.3f s, scaling %.2f\n", t1-t0, t2-t1, 2*(t1-t0)/(t2-t1)); }}
