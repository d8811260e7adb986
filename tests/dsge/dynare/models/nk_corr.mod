// New Keynesian model with correlated demand and cost-push shocks (IRFs Cholesky-orthogonalised).
var x pi i u e;
varexo eu ee ev;
parameters beta sigma kappa phi_pi phi_y rho_u rho_e;
beta = 0.99; sigma = 2; kappa = 0.15; phi_pi = 1.8; phi_y = 0.2; rho_u = 0.8; rho_e = 0.6;

model(linear);
  x = x(+1) - (1/sigma)*(i - pi(+1)) + u;
  pi = beta*pi(+1) + kappa*x + e;
  i = phi_pi*pi + phi_y*x + ev;
  u = rho_u*u(-1) + eu;
  e = rho_e*e(-1) + ee;
end;

shocks;
  var eu; stderr 0.01;
  var ee; stderr 0.005;
  var ev = 0.0025^2;
  corr eu, ee = 0.5;
end;

steady;
check;
stoch_simul(order=1, irf=12, ar=3, conditional_variance_decomposition=[1:4], nograph);
