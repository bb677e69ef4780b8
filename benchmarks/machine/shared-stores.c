#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void pin(int c){cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);pthread_setaffinity_np(pthread_self(),sizeof s,&s);}
#define N 100000
static float *A,*G; static _Atomic int phase; static int mode; static double tw, tr;
static void* reader(void*p){pin(1); float s=0; for(int r=0;r<300;r++){ while(atomic_load(&phase)!=2*r+1); double a=now(); __m256 acc=_mm256_setzero_ps(); for(int i=0;i<N;i+=8) acc=_mm256_add_ps(acc,_mm256_load_ps(A+i)); s+=acc[0]; if(r>=100) tr+=now()-a; atomic_store(&phase,2*r+2);} printf("%f\n",s); return 0;}
int main(int argc,char**argv){ mode=atoi(argv[1]); pin(0); A=aligned_alloc(64,N*4); G=aligned_alloc(64,N*4); for(int i=0;i<N;i++){A[i]=1;G[i]=0.001f;}
 pthread_t t; pthread_create(&t,0,reader,0);
 __m256 s=_mm256_set1_ps(1e-6f);
 for(int r=0;r<300;r++){ while(atomic_load(&phase)!=2*r); double a=now();
   if(mode==0) for(int i=0;i<N;i+=8) _mm256_store_ps(A+i,_mm256_sub_ps(_mm256_load_ps(A+i),_mm256_mul_ps(s,_mm256_load_ps(G+i))));
   else if(mode==1) for(int i=0;i<N;i+=8){ if((i&15)==0) _m_prefetchw(A+i+1024); _mm256_store_ps(A+i,_mm256_sub_ps(_mm256_load_ps(A+i),_mm256_mul_ps(s,_mm256_load_ps(G+i))));}
   else if(mode==2) for(int i=0;i<N;i+=8) _mm256_stream_ps(A+i,_mm256_sub_ps(_mm256_load_ps(A+i),_mm256_mul_ps(s,_mm256_load_ps(G+i))));
   else if(mode==3) { for(int i=0;i<N;i+=16) _m_prefetchw(A+i); for(int i=0;i<N;i+=8) _mm256_store_ps(A+i,_mm256_sub_ps(_mm256_load_ps(A+i),_mm256_mul_ps(s,_mm256_load_ps(G+i))));}
   if(r>=100) tw+=now()-a; atomic_store(&phase,2*r+1);} pthread_join(t,0);
 printf("mode %d: write %.1f us, remote read %.1f us\n",mode,tw/200*1e6,tr/200*1e6);}
