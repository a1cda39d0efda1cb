import numpy as np
M=(1<<64)-1
def splitmix(x):
    out=[]
    for _ in range(4):
        x=(x+0x9E3779B97F4A7C15)&M
        z=x
        z=((z^(z>>30))*0xBF58476D1CE4E5B9)&M
        z=((z^(z>>27))*0x94D049BB133111EB)&M
        out.append(z^(z>>31))
    return out
class X:
    def __init__(s,seed): s.s=splitmix(seed)
    def next(s):
        s0,s1,s2,s3=s.s
        r=((( (s1*5)&M)<<7 | ((s1*5)&M)>>57)&M)*9&M
        t=(s1<<17)&M
        s2^=s0; s3^=s1; s1^=s2; s0^=s3; s2^=t
        s3=((s3<<45)|(s3>>19))&M
        s.s=[s0,s1,s2,s3]; return r
    def index(s,n):
        p=s.next()*n; lo=p&M
        if lo<n:
            th=((1<<64)-n)%n
            while lo<th:
                p=s.next()*n; lo=p&M
        return p>>64
def keyed(seed,key,index):
    h=0xCBF29CE484222325
    for b in key.encode(): h=((h^b)*0x100000001B3)&M
    return X(seed ^ h ^ ((index*0x9E3779B97F4A7C15)&M))
print("seed0 first:", [X(0).next() for _ in range(1)], end=" ")
g=X(0); print([g.next() for _ in range(3)])
g=keyed(7,"sst2/acc",3); print("keyed", [g.index(10) for _ in range(8)])
d=[0.0,-1.0,1.0,-1.0,0.0,0.5,-0.25]
n=len(d); B=1200
out=[]
for blk in range((B+499)//500):
    g=keyed(42,"t/m",blk)
    for r in range(blk*500,min(B,blk*500+500)):
        out.append(sum(d[g.index(n)] for _ in range(n))/n)
out=np.sort(out)
print("mean interval", repr(np.percentile(out,2.5)), repr(np.percentile(out,97.5)), "sd", repr(np.std(out,ddof=1)), "q05", repr(np.quantile(out,0.05)))
