/* A medium-scale New Keynesian model (15 variables): internal consumption habits,
   capital with investment adjustment costs (Christiano-Eichenbaum-Evans), Rotemberg
   price setting, an interest-rate rule with smoothing that responds to inflation and
   output growth, and technology, government-spending and monetary shocks. */
var c lam r pi y k i q rk w n mc a g dy;
varexo ea eg em;
parameters beta h chi eta alpha delta kappa epsilon phi rho_r phi_pi phi_y rho_a rho_g gy
           mc_ss rk_ss kn yn w_ss cn n_ss g_ss;

beta = 0.99;  h = 0.7;  chi = 1;  eta = 2;  alpha = 0.33;  delta = 0.025;  kappa = 4;
epsilon = 6;  phi = 50;  rho_r = 0.8;  phi_pi = 1.5;  phi_y = 0.25;  rho_a = 0.95;  rho_g = 0.9;  gy = 0.2;
// steady-state relations (parameters defined from other parameters)
mc_ss = (epsilon - 1)/epsilon;
rk_ss = 1/beta - (1 - delta);
kn = (mc_ss*alpha/rk_ss)^(1/(1 - alpha));
yn = kn^alpha;
w_ss = mc_ss*(1 - alpha)*yn;
cn = yn*(1 - gy) - delta*kn;
n_ss = (w_ss*(1 - beta*h)/((1 - h)*chi*cn))^(1/(1 + eta));
g_ss = gy*yn*n_ss;

model;
  # adj = kappa/2*(i/i(-1) - 1)^2;            // investment adjustment cost
  # dadj = kappa*(i/i(-1) - 1)*i/i(-1);       // its derivative times i/i(-1)
  [name = 'marginal utility with habits']
  lam = 1/(c - h*c(-1)) - beta*h/(c(+1) - h*c);
  [name = 'bonds']
  lam = beta*lam(+1)*r/pi(+1);
  chi*n^eta = lam*w;
  k = (1 - delta)*k(-1) + i*(1 - adj);
  lam = lam*q*(1 - adj - dadj) + beta*lam(+1)*q(+1)*kappa*(i(+1)/i - 1)*(i(+1)/i)^2;
  lam*q = beta*lam(+1)*(rk(+1) + (1 - delta)*q(+1));
  y = a*k(-1)^alpha*n^(1 - alpha);
  rk = mc*alpha*y/k(-1);
  w = mc*(1 - alpha)*y/n;
  (pi - 1)*pi = beta*(lam(+1)/lam)*(pi(+1) - 1)*pi(+1)*y(+1)/y + epsilon/phi*(mc - (epsilon - 1)/epsilon);
  y = c + i + g + phi/2*(pi - 1)^2*y;
  log(r) = rho_r*log(r(-1)) + (1 - rho_r)*(log(1/beta) + phi_pi*log(pi) + phi_y*dy) + em;
  log(a) = rho_a*log(a(-1)) + ea;
  log(g) = (1 - rho_g)*log(g_ss) + rho_g*log(g(-1)) + eg;
  dy = log(y) - log(y(-1));
end;

steady_state_model;
  pi = 1;  r = 1/beta;  q = 1;  a = 1;  dy = 0;
  mc = (epsilon - 1)/epsilon;
  rk = 1/beta - (1 - delta);
  kn_ = (mc*alpha/rk)^(1/(1 - alpha));      // helper names are allowed
  yn_ = kn_^alpha;
  w = mc*(1 - alpha)*yn_;
  cn_ = yn_*(1 - gy) - delta*kn_;
  n = (w*(1 - beta*h)/((1 - h)*chi*cn_))^(1/(1 + eta));
  k = kn_*n;  y = yn_*n;  i = delta*k;  c = cn_*n;  g = gy*y;
  lam = (1 - beta*h)/((1 - h)*c);
end;

shocks;
  var ea; stderr 0.01;
  var eg; stderr 0.01;
  var em; stderr 0.0025;
end;

steady;
check;
stoch_simul(order=1, irf=20, ar=5, conditional_variance_decomposition=[1 4 8 40], nograph);
